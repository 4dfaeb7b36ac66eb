import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { onlyRunDir, runFixture, workspace } from '../helpers/runs.js';

describe('drillbook report (built CLI)', () => {
  const ws = workspace();
  const home = { DRILLBOOK_HOME: ws.home };
  let runId = '';

  beforeAll(() => {
    const r = runFixture(ws, 'INC-101', ['--mode', 'auto']);
    if (r.status !== 0) throw new Error(`fixture run failed: ${r.stderr}`);
    runId = onlyRunDir(ws).split('/').pop() ?? '';
  });

  it('prints the latest run as Markdown by default, rebuilt from the journal', () => {
    const r = drillbook(['report'], { env: home });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`# Run report: INC-101 Everything passes`);
    expect(r.stdout).toContain(`Run \`${runId}\``);
    expect(r.stdout).toContain('## Test documentation');
  });

  it('prints JSON, HTML and JUnit for a run named by its id or a unique prefix', () => {
    const json = JSON.parse(drillbook(['report', runId, '--format', 'json'], { env: home }).stdout) as {
      runId: string;
      outcome: string;
      phases: { steps: string[] }[];
    };
    expect(json).toMatchObject({ runId, outcome: 'recovered' });
    expect(json.phases[0]?.steps).toEqual(['produce', 'json-out']);
    const html = drillbook(['report', runId.slice(0, 18), '--format', 'html'], { env: home });
    expect(html.status).toBe(0);
    expect(html.stdout).toContain('<svg class="timeline-chart"');
    expect(drillbook(['report', 'latest', '--format', 'junit'], { env: home }).stdout).toMatch(
      /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites /,
    );
  });

  it('refuses an unknown run id with exit 2 and a one-line message naming recent runs', () => {
    const r = drillbook(['report', '20990101-000000-INC-001-ffff'], { env: home });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `drillbook: no run "20990101-000000-INC-001-ffff" in ${join(ws.home, 'runs')}; recent runs: ${runId}\n`,
    );
  });

  it('says there are no runs yet (exit 2) in an empty home', () => {
    const empty = workspace();
    const r = drillbook(['report'], { env: { DRILLBOOK_HOME: empty.home } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^drillbook: no runs in .* yet; start one with: drillbook run INC-ID\n$/);
  });

  it('refuses a corrupt journal with a one-line message, no stack trace', () => {
    const broken = workspace();
    const dir = join(broken.home, 'runs', '20260101-000000-INC-001-dead');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'journal.jsonl'), '{not json\n{"also": "not a run"}\n');
    const r = drillbook(['report', 'latest'], { env: { DRILLBOOK_HOME: broken.home } });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^drillbook: cannot read the journal of run 20260101-000000-INC-001-dead: .*corrupt journal line/,
    );
  });

  it('refuses an unknown format with exit 2', () => {
    const r = drillbook(['report', '--format', 'docx'], { env: home });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/Allowed choices are markdown, html, json, junit, pdf/);
  });
});
