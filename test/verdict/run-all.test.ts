import { spawnSync } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, drillbook, ROOT } from '../helpers/cli.js';
import { workspace } from '../helpers/runs.js';
import { all, parseXml } from '../helpers/xml.js';

const TRAP = 'test/helpers/no-io-trap.mjs';
const SHIPPED = readdirSync(join(ROOT, 'playbooks'))
  .filter((f) => f.endsWith('.yaml'))
  .sort()
  .map((f) => `playbooks/${f}`);

function incidentsOf(file: string): string[] {
  return (JSON.parse(drillbook(['list', '-f', file, '--json']).stdout) as { id: string }[]).map((i) => i.id);
}

describe('drillbook run --all --mode simulate', () => {
  it('simulates every incident of the four shipped runbooks: one table, one JUnit file a parser reads, exit 0, no I/O', () => {
    expect(SHIPPED).toHaveLength(4);
    const ws = workspace();
    const junitFile = join(ws.dir, 'all.xml');
    const r = spawnSync(
      process.execPath,
      [
        '--import',
        `./${TRAP}`,
        BIN,
        'run',
        '--all',
        '--mode',
        'simulate',
        ...SHIPPED.flatMap((f) => ['-f', f]),
        '--junit',
        junitFile,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, DRILLBOOK_HOME: ws.home },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const expected = SHIPPED.flatMap((f) => incidentsOf(f));
    const rows = r.stdout.split('\n').filter((l) => /^\S+\s+[A-Z0-9]+-\d{3}\s/.test(l));
    expect(rows.map((l) => l.split(/\s+/)[1])).toEqual(expected);
    expect(rows.every((l) => /\ssimulated\s.*\sprojected within target\s+0\s/.test(l))).toBe(true);
    expect(r.stdout).toContain(`junit: ${junitFile}`);
    const doc = parseXml(readFileSync(junitFile, 'utf8'));
    const suites = all(doc, 'testsuite');
    expect(suites.map((s) => s.attrs.name?.split(' ')[0])).toEqual(expected);
    expect(new Set(suites.map((s) => s.attrs.package))).toEqual(
      new Set(['thebot-dr', 'aivo-dr', 'corporate-intel-drills', 'r2-storage-dr']),
    );
    const [root] = all(doc, 'testsuites');
    expect(root?.attrs.tests).toBe(String(all(doc, 'testcase').length));
    expect(root?.attrs.failures).toBe('0');
    expect(readdirSync(join(ws.home, 'runs'))).toHaveLength(expected.length);
  });

  it('exits with the worst code: a projected breach among passing incidents is exit 3, and a JUnit failure', () => {
    const ws = workspace();
    const r = drillbook(
      ['run', '-f', 'test/fixtures/run/cadence.yaml', '-f', 'test/fixtures/run/verdict.yaml', '--mode', 'simulate'],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(r.status).toBe(3);
    expect(r.stdout).toMatch(/^verdict-fixture\s+INC-209\s+simulated\s+~9m projected\s+PROJECTED RTO BREACHED\s+3\s/m);
    expect(r.stdout).toMatch(/^cadence-fixture\s+INC-301\s+simulated\s+\S+ projected\s+projected within target\s+0\s/m);
    const doc = parseXml(readFileSync(join(ws.home, 'run-all.junit.xml'), 'utf8'));
    const failing = all(doc, 'testsuite')
      .filter((s) => s.attrs.failures !== '0')
      .map((s) => s.attrs.name?.split(' ')[0]);
    const breached = r.stdout
      .split('\n')
      .filter((l) => /\s3\s+\S+$/.test(l))
      .map((l) => l.split(/\s+/)[1]);
    expect(failing).toEqual(breached);
    expect(failing).toContain('INC-209');
  });

  it('refuses --all outside simulate mode, and --all with an incident, with exit 2', () => {
    const ws = workspace();
    const auto = drillbook(['run', '--all', '--mode', 'auto'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(auto.status).toBe(2);
    expect(auto.stderr).toBe(
      'drillbook: --all and several -f run in simulate mode only (--mode simulate): executing every incident for real at once is not a drill\n',
    );
    const both = drillbook(['run', 'INC-001', '--all'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(both.status).toBe(2);
    expect(both.stderr).toBe(
      'drillbook: --all runs every incident; drop "INC-001", or drop --all to run one incident\n',
    );
  });
});
