import { describe, expect, it } from 'vitest';
import { buildHistory, trend } from '../../src/report/build-history.js';
import { buildReport, type Report } from '../../src/report/build-report.js';
import { fakeJournal } from '../helpers/journals.js';
import { drillbook } from '../helpers/cli.js';
import { runFixture, workspace } from '../helpers/runs.js';

let n = 0;
/** A report rebuilt from a journal with only what history reads; the verdict judges it (met is never taken from the journal). */
function report(
  incident: string,
  mode: string,
  outcome: 'recovered' | 'simulated' | 'failed',
  ttrMs: number | null,
  rtoMs = 600_000,
  rpoMs: number | null = null,
  runbook = 'rb',
): Report {
  n += 1;
  return buildReport(
    fakeJournal({
      runId: `2026010${Math.floor(n / 10)}-0000${n % 10}0-${incident}-000${n}`,
      incident,
      runbook,
      mode,
      outcome,
      ttrMs,
      rtoMs,
      rpoMs,
      startedAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`,
    }),
  );
}

describe("buildHistory: the seeds' DR test statistics per incident", () => {
  const history = buildHistory([
    report('INC-003', 'auto', 'recovered', 540_000, 600_000, 2_000),
    report('INC-003', 'auto', 'recovered', 660_000, 600_000, 4_000),
    report('INC-003', 'auto', 'failed', null),
    report('INC-003', 'auto', 'recovered', 420_000, 600_000, 1_000),
    report('INC-003', 'auto', 'recovered', 360_000, 600_000, 0),
    report('INC-003', 'simulate', 'simulated', 500_000),
    report('INC-001', 'simulate', 'simulated', 200_000),
  ]);
  const inc3 = history.incidents.find((i) => i.id === 'INC-003');

  it('counts success (recovered within target) over real runs only, simulations apart', () => {
    expect(inc3).toMatchObject({
      key: 'rb/INC-003',
      realRuns: 5,
      succeeded: 3,
      failed: 2,
      successRate: 60,
      simulations: { total: 1, withinTarget: 1 },
    });
    expect(inc3?.meanTtrMs).toBe((540_000 + 660_000 + 420_000 + 360_000) / 4);
    expect(inc3?.worstTtrMs).toBe(660_000);
  });

  it('counts a failed recovery against RTO compliance, and judges RPO where it was measured', () => {
    expect(inc3?.rtoCompliance).toEqual({ met: 3, of: 5, rate: 60 });
    expect(inc3?.rpo).toMatchObject({ worstMs: 4_000, met: 4, of: 4 });
  });

  it('reports the trend of time to recover and the latest projection', () => {
    expect(inc3?.trend).toBe('improving');
    expect(inc3?.recentTtrMs).toEqual([540_000, 660_000, 420_000, 360_000]);
    expect(inc3?.projectedTtrMs).toBe(500_000);
    expect(history.incidents.find((i) => i.id === 'INC-001')).toMatchObject({
      trend: 'not enough runs',
      meanTtrMs: null,
      projectedTtrMs: 200_000,
      rtoCompliance: { met: 0, of: 0, rate: null },
    });
  });

  it('adds up the overall figures and the breakdown by mode', () => {
    expect(history.overall).toMatchObject({
      realRuns: 5,
      succeeded: 3,
      failed: 2,
      successRate: 60,
      simulations: { total: 2, withinTarget: 2 },
    });
    expect(history.byMode).toEqual([
      { mode: 'auto', total: 5, succeeded: 3, failed: 2 },
      { mode: 'simulate', total: 2, succeeded: 2, failed: 0 },
    ]);
  });

  it('keeps the same incident id of two runbooks apart, and never counts a breached simulation as a success', () => {
    const h = buildHistory([
      report('INC-001', 'auto', 'recovered', 3_600_000, 14_400_000, null, 'aivo-dr'),
      report('INC-001', 'auto', 'recovered', 3_600_000, 300_000, null, 'thebot-dr'),
      report('INC-001', 'simulate', 'simulated', 600_000, 300_000, null, 'thebot-dr'),
    ]);
    expect(h.incidents.map((i) => [i.key, i.rtoTargetMs, i.succeeded, i.failed])).toEqual([
      ['aivo-dr/INC-001', 14_400_000, 1, 0],
      ['thebot-dr/INC-001', 300_000, 0, 1],
    ]);
    expect(h.incidents[1]?.simulations).toEqual({ total: 1, withinTarget: 0 });
    expect(h.runs.map((r) => r.verdict)).toEqual(['within target', 'RTO BREACHED', 'PROJECTED RTO BREACHED']);
  });

  it('calls a change of more than 10% a trend, lower being better', () => {
    expect(trend([100])).toBe('not enough runs');
    expect(trend([100, 200])).toBe('worsening');
    expect(trend([100, 105])).toBe('steady');
    expect(trend([300, 280, 200, 150])).toBe('improving');
  });
});

describe('drillbook history (built CLI)', () => {
  it('summarizes runs from DRILLBOOK_HOME as text and as JSON, and filters by incident', () => {
    const ws = workspace();
    for (const incident of ['INC-101', 'INC-101', 'INC-102']) runFixture(ws, incident, ['--mode', 'auto']);
    const env = { DRILLBOOK_HOME: ws.home };
    const text = drillbook(['history'], { env });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/^3 real runs: 2 recovered within target, 1 did not \(success rate 66\.7%\)/);
    expect(text.stdout).toMatch(/\nengine-fixture\s+INC-101\s+2\s+100%\s+\S+\s+\S+\s+5m\s+2\/2 \(100%\)/);
    const json = JSON.parse(drillbook(['history', '--incident', 'INC-102', '--json'], { env }).stdout) as {
      incidents: { id: string; rtoCompliance: { met: number; of: number } }[];
      runs: unknown[];
    };
    expect(json.incidents.map((i) => i.id)).toEqual(['INC-102']);
    expect(json.incidents[0]?.rtoCompliance).toEqual({ met: 0, of: 1, rate: 0 });
    expect(json.runs).toHaveLength(1);
  });

  it('says so when there are no runs, and refuses a malformed incident id with exit 2', () => {
    const ws = workspace();
    expect(drillbook(['history'], { env: { DRILLBOOK_HOME: ws.home } }).stdout).toBe(`no runs in ${ws.home}/runs\n`);
    const bad = drillbook(['history', '--incident', 'inc3'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('drillbook: --incident expects an incident id such as INC-003, got "inc3"\n');
  });
});
