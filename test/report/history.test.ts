import { describe, expect, it } from 'vitest';
import { buildHistory, trend } from '../../src/report/build-history.js';
import type { Report } from '../../src/report/build-report.js';
import { drillbook } from '../helpers/cli.js';
import { runFixture, workspace } from '../helpers/runs.js';

let n = 0;
/** A report as buildReport makes it, with only what history reads filled in. */
function report(incident: string, mode: string, outcome: Report['outcome'], ttrMs: number | null, rtoMs = 600_000, rpoMs: number | null = null): Report {
  n += 1;
  const simulated = mode === 'simulate';
  return {
    reportVersion: 1, runId: `2026010${Math.floor(n / 10)}-0000${n % 10}0-${incident}-000${n}`, incident: { id: incident, title: `${incident} title`, severity: 'high' },
    mode, environment: 'lab', operator: 'test', runbook: { file: 'f', name: 'n', version: '1', sha256: 'x' },
    startedAt: `2026-01-01T00:00:${String(n).padStart(2, '0')}.000Z`, finishedAt: null, durationMs: ttrMs ?? 0, outcome, exitCode: outcome === 'recovered' || outcome === 'simulated' ? 0 : 1, reason: null,
    rto: { targetMs: rtoMs, measuredMs: simulated ? null : ttrMs, projectedMs: simulated ? ttrMs : null, met: ttrMs === null ? null : ttrMs <= rtoMs },
    rpo: { targetMs: 300_000, measuredMs: rpoMs, met: rpoMs === null ? null : rpoMs <= 300_000 },
    phases: [], steps: [], decisions: [], notifications: [], recovery: null, overruns: [],
    documentation: { date: '2026-01-01', type: mode, start: '', end: null, durationMs: 0, rtoMet: null, rpoMet: null, issues: [], remediation: '' },
  };
}

describe('buildHistory: the seeds\' DR test statistics per incident', () => {
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

  it('counts success, mean and worst time to recover over real runs', () => {
    expect(inc3).toMatchObject({ runs: 6, succeeded: 5, failed: 1, successRate: 83.3, simulations: 1, realRuns: 5 });
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
    expect(history.incidents.find((i) => i.id === 'INC-001')).toMatchObject({ trend: 'not enough runs', meanTtrMs: null, projectedTtrMs: 200_000, rtoCompliance: { met: 0, of: 0, rate: null } });
  });

  it('adds up the overall figures and the breakdown by mode', () => {
    expect(history.overall).toMatchObject({ total: 7, succeeded: 6, failed: 1, successRate: 85.7 });
    expect(history.byMode).toEqual([{ mode: 'auto', total: 5, succeeded: 4, failed: 1 }, { mode: 'simulate', total: 2, succeeded: 2, failed: 0 }]);
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
    expect(text.stdout).toMatch(/^3 runs: 2 succeeded, 1 failed \(success rate 66\.7%\)/);
    expect(text.stdout).toMatch(/\nINC-101\s+2\s+100%\s+\S+\s+\S+\s+5m\s+2\/2 \(100%\)/);
    const json = JSON.parse(drillbook(['history', '--incident', 'INC-102', '--json'], { env }).stdout) as { incidents: { id: string; rtoCompliance: { met: number; of: number } }[]; runs: unknown[] };
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
