import { formatDuration } from '../model/duration.js';
import { rate, type RunSummary } from './build-history.js';

export type Period = 'day' | 'week' | 'month';
export const PERIODS: Period[] = ['day', 'week', 'month'];

/**
 * The seed-002 statistics of one runbook incident over one period (or over all time: period null). Real runs
 * only, like history's; simulations are counted apart. Local history computes these here from the verdicts,
 * the store in SQL (src/store/store-reads.ts) from the same verdict fields: both go through `statsRow`.
 */
export interface StatsRow {
  runbook: string;
  incident: string;
  /** The first day of the period (UTC, weeks start on Monday), or null for all time. */
  period: string | null;
  realRuns: number;
  succeeded: number;
  successRate: number | null;
  /** Real runs whose recovered condition held (in time or late). */
  recovered: number;
  /** Real runs judged against the RTO (the verdict's rto.met true or false; interrupted ones are not judged). */
  rtoMet: number;
  rtoMissed: number;
  /** Real runs whose data-loss window was measured against the RPO. */
  rpoMet: number;
  rpoMissed: number;
  p50TtrMs: number | null;
  meanTtrMs: number | null;
  p95TtrMs: number | null;
  meanRpoMs: number | null;
  simulations: number;
  /** Every run (simulations included) by its outcome: recovered, failed, simulated, interrupted ... */
  outcomes: Record<string, number>;
}

/** The raw figures of one group, before rounding: counts, means, the p50 and p95 as percentile_cont. */
export type StatsFigures = Omit<StatsRow, 'successRate'>;

/** One rounding for both sources: rates to 0.1 %, times to the whole millisecond. */
export function statsRow(f: StatsFigures): StatsRow {
  const ms = (v: number | null) => (v === null ? null : Math.round(v));
  return {
    runbook: f.runbook,
    incident: f.incident,
    period: f.period,
    realRuns: f.realRuns,
    succeeded: f.succeeded,
    successRate: rate(f.succeeded, f.realRuns),
    recovered: f.recovered,
    rtoMet: f.rtoMet,
    rtoMissed: f.rtoMissed,
    rpoMet: f.rpoMet,
    rpoMissed: f.rpoMissed,
    p50TtrMs: ms(f.p50TtrMs),
    meanTtrMs: ms(f.meanTtrMs),
    p95TtrMs: ms(f.p95TtrMs),
    meanRpoMs: ms(f.meanRpoMs),
    simulations: f.simulations,
    // Keys in one order whatever order the source met them in.
    outcomes: Object.fromEntries(Object.entries(f.outcomes).sort(([a], [b]) => a.localeCompare(b))),
  };
}

/** The start of the period an instant falls in, as YYYY-MM-DD in UTC (date_trunc's day, ISO week, month). */
export function periodStart(iso: string, period: Period): string {
  const d = new Date(iso);
  const day = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), period === 'month' ? 1 : d.getUTCDate()));
  if (period === 'week') day.setUTCDate(day.getUTCDate() - ((day.getUTCDay() + 6) % 7));
  return day.toISOString().slice(0, 10);
}

/** Local history's statistics, per runbook incident (and period), from the runs' verdicts. */
export function statsOf(runs: RunSummary[], period?: Period): StatsRow[] {
  const groups = new Map<string, RunSummary[]>();
  for (const r of runs) {
    const key = JSON.stringify([r.runbook, r.incident, period ? periodStart(r.startedAt, period) : null]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.entries()]
    .map(([key, of]) => {
      const [runbook, incident, start] = JSON.parse(key) as [string, string, string | null];
      return statsRow({ runbook, incident, period: start, ...figuresOf(of) });
    })
    .sort(byGroup);
}

/** One group's figures, exactly as the store's SQL computes them (src/store/store-reads.ts storedStats). */
function figuresOf(of: RunSummary[]): Omit<StatsFigures, 'runbook' | 'incident' | 'period'> {
  const real = of.filter((r) => !r.simulated);
  const ttrs = real.flatMap((r) => (r.ttrMs === null ? [] : [r.ttrMs]));
  const rpos = real.flatMap((r) => (r.rpoMs === null ? [] : [r.rpoMs]));
  const count = (test: (r: RunSummary) => boolean) => real.filter(test).length;
  const outcomes: Record<string, number> = {};
  for (const r of of) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  return {
    realRuns: real.length,
    succeeded: count((r) => r.succeeded),
    recovered: count((r) => r.outcome === 'recovered'),
    rtoMet: count((r) => r.rtoMet === true),
    rtoMissed: count((r) => r.rtoMet === false),
    rpoMet: count((r) => r.rpoMet === true),
    rpoMissed: count((r) => r.rpoMet === false),
    p50TtrMs: percentileCont(ttrs, 0.5),
    meanTtrMs: mean(ttrs),
    p95TtrMs: percentileCont(ttrs, 0.95),
    meanRpoMs: mean(rpos),
    simulations: of.length - real.length,
    outcomes,
  };
}

export function byGroup(a: StatsRow, b: StatsRow): number {
  return (
    a.runbook.localeCompare(b.runbook) ||
    a.incident.localeCompare(b.incident) ||
    (a.period ?? '').localeCompare(b.period ?? '')
  );
}

/** PostgreSQL's percentile_cont: linear interpolation between the two nearest ranks. */
export function percentileCont(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const pos = p * (sorted.length - 1);
  const lo = Math.floor(pos);
  const first = sorted[lo] ?? 0;
  const second = sorted[Math.ceil(pos)] ?? first;
  return first + (second - first) * (pos - lo);
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((n, v) => n + v, 0) / values.length;
}

type Table = (header: string[], rows: string[][]) => string;

/** The statistics for a terminal: one row per runbook incident (and period). */
export function statsText(rows: StatsRow[], table: Table): string {
  const d = (v: number | null) => (v === null ? 'n/a' : formatDuration(v));
  const withPeriod = rows.some((r) => r.period !== null);
  const header = [
    'RUNBOOK',
    'INCIDENT',
    ...(withPeriod ? ['PERIOD'] : []),
    'REAL RUNS',
    'SUCCESS',
    'MEAN TTR',
    'P95 TTR',
    'MEAN DATA LOSS',
    'SIMULATIONS',
  ];
  return table(
    header,
    rows.map((r) => [
      r.runbook,
      r.incident,
      ...(withPeriod ? [r.period ?? ''] : []),
      String(r.realRuns),
      r.successRate === null ? 'n/a' : `${r.succeeded}/${r.realRuns} (${r.successRate}%)`,
      d(r.meanTtrMs),
      d(r.p95TtrMs),
      d(r.meanRpoMs),
      String(r.simulations),
    ]),
  );
}
