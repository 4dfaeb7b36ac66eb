import type { Runbook } from '../model/runbook.js';
import { drillCadences, type DrillCadence } from './history-check.js';
import { sinceMs } from './history-filter.js';
import type { StatsRow } from './history-stats.js';
import { recommendations, type Recommendation } from './period-recommendations.js';

export type ReportPeriod = 'week' | 'month';
export const REPORT_PERIODS: ReportPeriod[] = ['week', 'month'];

/** The window a period report covers when no `since` is given. */
const DEFAULT_SINCE: Record<ReportPeriod, string> = { week: '7d', month: '30d' };

/** A real run that did not recover within target, and the phases that overran their budgets in it. */
export interface BreachedRun {
  runId: string;
  runbook: string;
  incident: string;
  startedAt: string;
  outcome: string;
  verdict: string;
  rtoMet: boolean | null;
  rpoMet: boolean | null;
  overrunPhases: string[];
}

/**
 * The weekly or monthly DR report: history's statistics over the window (per incident, and per week or month),
 * the breached runs, the overdue drills, and what to do about them. Plain data: JSON as it is, Markdown and
 * HTML rendered from it (period-markdown.ts).
 */
export interface PeriodReport {
  period: ReportPeriod;
  since: string;
  from: string;
  to: string;
  incidents: StatsRow[];
  periods: StatsRow[];
  breaches: BreachedRun[];
  overdue: DrillCadence[];
  recommendations: Recommendation[];
}

export interface PeriodInput {
  incidents: StatsRow[];
  periods: StatsRow[];
  breaches: BreachedRun[];
  latestReal: Map<string, string>;
}

/** The window of a report: `since` as history reads it (7d, 30d, 2w, a date), by default the period's length. */
export function periodWindow(period: ReportPeriod, since?: string, now = Date.now()): { since: string; from: string } {
  const chosen = since ?? DEFAULT_SINCE[period];
  return { since: chosen, from: new Date(sinceMs(chosen, now)).toISOString() };
}

export function buildPeriodReport(
  period: ReportPeriod,
  window: { since: string; from: string },
  input: PeriodInput,
  runbooks: Runbook[],
  now = Date.now(),
): PeriodReport {
  const overdue = drillCadences(runbooks, (key) => input.latestReal.get(key), undefined, now).filter((d) => d.overdue);
  return {
    period,
    since: window.since,
    from: window.from,
    to: new Date(now).toISOString(),
    incidents: input.incidents,
    periods: input.periods,
    breaches: input.breaches,
    overdue,
    recommendations: recommendations(input.incidents, input.breaches, overdue),
  };
}
