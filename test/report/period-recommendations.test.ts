import { describe, expect, it } from 'vitest';
import type { DrillCadence } from '../../src/report/history-check.js';
import { statsRow, type StatsFigures } from '../../src/report/history-stats.js';
import type { BreachedRun } from '../../src/report/period-report.js';
import { recommendations } from '../../src/report/period-recommendations.js';

const DAY = 86_400_000;

function row(incident: string, f: Partial<StatsFigures>) {
  return statsRow({
    runbook: 'rb',
    incident,
    period: null,
    realRuns: 0,
    succeeded: 0,
    recovered: 0,
    rtoMet: 0,
    rtoMissed: 0,
    rpoMet: 0,
    rpoMissed: 0,
    p50TtrMs: null,
    meanTtrMs: null,
    p95TtrMs: null,
    meanRpoMs: null,
    simulations: 0,
    outcomes: {},
    ...f,
  });
}

function breach(incident: string, overrunPhases: string[], rtoMet: boolean | null = false): BreachedRun {
  return {
    runId: `run-${incident}-${overrunPhases.join('-')}`,
    runbook: 'rb',
    incident,
    startedAt: '2026-12-01T00:00:00.000Z',
    outcome: 'recovered',
    verdict: 'RTO BREACHED',
    rtoMet,
    rpoMet: null,
    overrunPhases,
  };
}

describe('period recommendations', () => {
  it('names the phase that overran most often among the runs that missed the RTO, and the ones that did not recover', () => {
    const texts = recommendations(
      [row('INC-003', { realRuns: 3, recovered: 3, rtoMet: 1, rtoMissed: 2 })],
      [breach('INC-003', ['promote', 'verify']), breach('INC-003', ['promote'])],
      [],
    ).map((r) => r.text);
    expect(texts).toEqual([
      'INC-003 missed its RTO in 2 of 3 drills: review the budget of phase "promote" (over budget in 2 of them)',
    ]);
    const failed = recommendations([row('INC-004', { realRuns: 1, rtoMissed: 1 })], [breach('INC-004', [])], []);
    expect(failed.map((r) => r.text)).toEqual([
      'INC-004 missed its RTO in 1 of 1 drill (1 did not recover: fix the failing step first): review its phase budgets against the RTO',
    ]);
  });

  it('says how long an overdue incident has gone undrilled against its cadence', () => {
    const overdue: DrillCadence = {
      key: 'rb/INC-005',
      runbook: 'rb',
      incident: 'INC-005',
      cadence: 'monthly',
      everyMs: 31 * DAY,
      lastRealAt: '2026-10-21T00:00:00.000Z',
      agoMs: 45 * DAY + 3600_000,
      overdue: true,
    };
    expect(recommendations([], [], [overdue])).toEqual([
      {
        runbook: 'rb',
        incident: 'INC-005',
        kind: 'overdue',
        text: 'INC-005 has not been drilled for 45 days (cadence monthly: every 31d): schedule a drill',
      },
    ]);
  });

  it('recommends nothing for runs within target', () => {
    expect(recommendations([row('INC-001', { realRuns: 2, succeeded: 2, recovered: 2, rtoMet: 2 })], [], [])).toEqual(
      [],
    );
  });
});
