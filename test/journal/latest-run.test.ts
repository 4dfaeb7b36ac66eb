import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { workspace, type Workspace } from '../helpers/runs.js';

const FIXTURE = 'test/fixtures/run/secrets.yaml';

function simulate(ws: Workspace): string {
  const r = drillbook(['run', 'INC-304', '-f', FIXTURE, '--json'], { env: { DRILLBOOK_HOME: ws.home } });
  expect(r.status).toBe(0);
  return (JSON.parse(r.stdout) as { runId: string }).runId;
}

const latest = (ws: Workspace) =>
  (
    JSON.parse(drillbook(['report', 'latest', '--format', 'json'], { env: { DRILLBOOK_HOME: ws.home } }).stdout) as {
      runId: string;
    }
  ).runId;

/** A copy of a run under another id whose run-started event is at `at`. */
function copyRun(ws: Workspace, from: string, to: string, at: string): void {
  const runs = join(ws.home, 'runs');
  cpSync(join(runs, from), join(runs, to), { recursive: true });
  const file = join(runs, to, 'journal.jsonl');
  const [first, ...rest] = readFileSync(file, 'utf8').split('\n');
  const started = { ...(JSON.parse(first ?? '{}') as Record<string, unknown>), runId: to, at };
  writeFileSync(file, [JSON.stringify(started), ...rest].join('\n'));
}

describe('report latest is the run that started last', () => {
  it('for two runs of the same second whose random suffixes sort the other way', () => {
    const ws = workspace();
    const source = simulate(ws);
    copyRun(ws, source, '20261204-101500-INC-304-ffff', '2026-12-04T10:15:00.100Z');
    copyRun(ws, source, '20261204-101500-INC-304-0000', '2026-12-04T10:15:00.900Z');
    // The real run of today started after both copies.
    expect(latest(ws)).toBe(source);
    copyRun(ws, source, '29991231-235959-INC-304-0001', '2999-12-31T23:59:59.050Z');
    copyRun(ws, source, '29991231-235959-INC-304-0000', '2999-12-31T23:59:59.950Z');
    expect(latest(ws)).toBe('29991231-235959-INC-304-0000');
  });

  it('for runs started one after the other within one second, whatever their suffixes', () => {
    const ws = workspace();
    const ids = Array.from({ length: 6 }, () => simulate(ws));
    expect(latest(ws)).toBe(ids.at(-1));
    // A prefix that matches several runs lists the most recent first, in the same order.
    const ambiguous = drillbook(['report', ids[0]?.slice(0, 9) ?? ''], { env: { DRILLBOOK_HOME: ws.home } });
    expect(ambiguous.stderr).toContain(`(recent runs: ${ids.slice(-5).reverse().join(', ')})`);
  });

  it('places a run whose journal has no start yet at the beginning of the second in its id', () => {
    const ws = workspace();
    const source = simulate(ws);
    copyRun(ws, source, '29991231-235959-INC-304-aaaa', '2999-12-31T23:59:59.500Z');
    writeFileSync(join(ws.home, 'runs', '29991231-235959-INC-304-aaaa', 'journal.jsonl'), '');
    copyRun(ws, source, '29991231-235959-INC-304-0000', '2999-12-31T23:59:59.001Z');
    expect(latest(ws)).toBe('29991231-235959-INC-304-0000');
  });
});
