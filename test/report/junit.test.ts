import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, runFixture, workspace } from '../helpers/runs.js';
import { all, parseXml } from '../helpers/xml.js';

/** What the journal says about a run's steps: last status of each started step, and the planned steps never started. */
function journalCounts(runDir: string): { steps: number; failed: number; skipped: number } {
  const events = journalEvents(runDir);
  const status = new Map<string, string>();
  for (const e of events)
    if (e.type === 'step-finished') status.set(e.step as string, (e.result as { status: string }).status);
  for (const e of events)
    if (e.type === 'step-started' && !status.has(e.step as string)) status.set(e.step as string, 'unknown');
  const planned = (events[0]?.phases as { steps: string[] }[]).flatMap((p) => p.steps).filter((id) => !status.has(id));
  const values = [...status.values()];
  return {
    steps: values.length + planned.length,
    failed: values.filter((s) => ['failed', 'timed-out', 'unknown'].includes(s)).length,
    skipped: values.filter((s) => s === 'skipped').length + planned.length,
  };
}

describe('drillbook report --format junit', () => {
  it.each([
    ['INC-101', 0, 'recovers (one step skipped by its condition)', ''],
    ['INC-102', 1, 'fails, one step never reached', 'not reached: the run stopped before this step'],
    ['INC-103', 1, 'fails and rolls back', 'not reached: the run stopped before this step'],
    ['INC-105', 1, 'times out', ''],
  ])('%s: testsuite counts match the journal when the run %s', (incident, exitCode, _what, notReached) => {
    const ws = workspace();
    expect(runFixture(ws, incident, ['--mode', 'auto']).status).toBe(exitCode);
    const r = drillbook(['report', 'latest', '--format', 'junit'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const doc = parseXml(r.stdout);
    const [suites] = all(doc, 'testsuites');
    const [suite] = all(doc, 'testsuite');
    const cases = all(doc, 'testcase');
    const failures = cases.filter((c) => c.children.some((x) => x.name === 'failure'));
    const skipped = cases.filter((c) => c.children.some((x) => x.name === 'skipped'));
    const expected = journalCounts(onlyRunDir(ws));
    // Two more testcases, RTO and RPO: RTO fails when the run did not recover; RPO is skipped where nothing measured it.
    const objectives = cases.filter((c) => c.attrs.classname === `${incident}.objectives`);
    expect(objectives.map((c) => c.attrs.name)).toEqual(['RTO 5m', 'RPO 5m']);
    expect(cases).toHaveLength(expected.steps + 2);
    expect(failures).toHaveLength(expected.failed + (exitCode === 0 ? 0 : 1));
    expect(skipped).toHaveLength(expected.skipped + (incident === 'INC-101' ? 0 : 1));
    for (const element of [suites, suite]) {
      expect(element?.attrs).toMatchObject({
        tests: String(cases.length),
        failures: String(failures.length),
        skipped: String(skipped.length),
        errors: '0',
      });
    }
    expect(suite?.attrs.name).toMatch(new RegExp(`^${incident} `));
    for (const c of cases) {
      expect(c.attrs.classname).toMatch(new RegExp(`^${incident}\\.`));
      expect(Number(c.attrs.time)).toBeGreaterThanOrEqual(0);
    }
    const stepFailures = failures.filter((c) => !c.attrs.classname?.endsWith('.objectives'));
    expect(
      stepFailures.map((c) => c.children[0]?.attrs.message ?? '').every((m) => /^(failed|timed-out|unknown)/.test(m)),
    ).toBe(true);
    expect(skipped.some((c) => c.children[0]?.attrs.message === notReached)).toBe(notReached !== '');
  });
});
