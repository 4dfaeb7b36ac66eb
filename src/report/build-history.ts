import type { Report } from './build-report.js';
import { verdictWord } from '../verdict/verdict-text.js';

/** What history reads of a run's report: who, when, what, and the run's verdict (see history-runs.ts). */
export interface HistoryRun {
  runId: string;
  mode: string;
  startedAt: string;
  runbook: Pick<Report['runbook'], 'name' | 'file'>;
  incident: Pick<Report['incident'], 'id' | 'title'>;
  verdict: Report['verdict'];
}

/** One past run, as history counts it: the run's verdict, nothing judged again here. */
export interface RunSummary {
  runId: string;
  runbook: string;
  incident: string;
  mode: string;
  simulated: boolean;
  startedAt: string;
  outcome: string;
  exitCode: number | null;
  /** Recovered (or projected to) within the RTO and the RPO: the verdict's withinTarget. */
  succeeded: boolean;
  /** The verdict in a word or two: within target, RTO BREACHED, NOT RECOVERED ... */
  verdict: string;
  /** Measured time to recover (real runs) or projected (simulations); null when it never recovered. */
  ttrMs: number | null;
  rtoTargetMs: number;
  rtoMet: boolean | null;
  rpoMs: number | null;
  rpoMet: boolean | null;
}

export type Trend = 'improving' | 'worsening' | 'steady' | 'not enough runs';

export interface IncidentHistory {
  /** runbook name + incident id: INC-001 of two runbooks are two incidents. */
  key: string;
  runbook: string;
  id: string;
  title: string;
  /** Real runs (auto, interactive): success, time to recover and compliance count these only. */
  realRuns: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  /** Simulations, apart: how many were projected within target. */
  simulations: { total: number; withinTarget: number };
  meanTtrMs: number | null;
  worstTtrMs: number | null;
  rtoTargetMs: number;
  /** Real runs that recovered within the RTO, out of all finished real runs (a failed recovery is not compliant). */
  rtoCompliance: { met: number; of: number; rate: number | null };
  rpo: { meanMs: number | null; worstMs: number | null; met: number; of: number };
  /** The latest simulation's projected time to recover, for incidents not yet drilled for real. */
  projectedTtrMs: number | null;
  trend: Trend;
  /** Measured times to recover, oldest first (the last ten). */
  recentTtrMs: number[];
  lastRun: string;
  /** The latest real run (auto, interactive, drill): what `history --check` judges. */
  latestReal: RunSummary | null;
}

/** The seeds' DR test statistics (total, completed, failed, success rate, mean RTO/RPO, by type), per incident. */
export interface History {
  overall: {
    realRuns: number;
    succeeded: number;
    failed: number;
    successRate: number | null;
    meanTtrMs: number | null;
    meanRpoMs: number | null;
    simulations: { total: number; withinTarget: number };
  };
  byMode: { mode: string; total: number; succeeded: number; failed: number }[];
  incidents: IncidentHistory[];
  /** The runs judged and counted above: every run but those in progress. */
  runs: RunSummary[];
  /**
   * Runs in progress now (a live process holds a local run's lock; the service runs a stored one): their verdict
   * would only say UNFINISHED, so they are listed here and judged once they end (history-check.ts says so).
   */
  running: RunSummary[];
}

/** A change of more than this share between older and newer runs is a trend, anything less is steady. */
const TREND_THRESHOLD = 0.1;

export function summarizeRun(r: HistoryRun): RunSummary {
  const v = r.verdict;
  return {
    runId: r.runId,
    runbook: r.runbook.name,
    incident: r.incident.id,
    mode: r.mode,
    simulated: v.simulated,
    startedAt: r.startedAt,
    outcome: v.outcome,
    exitCode: v.exitCode,
    succeeded: v.withinTarget,
    verdict: verdictWord(v),
    ttrMs: v.ttr.ms,
    rtoTargetMs: v.rto.targetMs,
    rtoMet: v.rto.met,
    rpoMs: v.rpo.measuredMs,
    rpoMet: v.rpo.met,
  };
}

export const incidentKey = (runbook: string, incident: string) => `${runbook}/${incident}`;

export function buildHistory(reports: HistoryRun[], live: ReadonlySet<string> = new Set()): History {
  const titles = new Map(reports.map((r) => [incidentKey(r.runbook.name, r.incident.id), r.incident.title]));
  return historyOfSummaries(reports.map(summarizeRun), titles, live);
}

/**
 * History from runs already summarised (local verdicts or the store's rows, whose columns are these same
 * fields): the one computation that `drillbook history` and the service's drill board both read.
 * `titles` are incident titles by incidentKey; `live` the ids of the runs in progress now, set apart unjudged.
 */
export function historyOfSummaries(
  summaries: RunSummary[],
  titles: Map<string, string>,
  live: ReadonlySet<string> = new Set(),
): History {
  const ordered = [...summaries].sort(
    (a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId),
  );
  const runs = ordered.filter((r) => !live.has(r.runId));
  const real = runs.filter((r) => !r.simulated);
  const sims = runs.filter((r) => r.simulated);
  const keys = [...new Set(runs.map((r) => incidentKey(r.runbook, r.incident)))].sort();
  const modes = [...new Set(runs.map((r) => r.mode))].sort();
  return {
    overall: {
      realRuns: real.length,
      succeeded: real.filter((r) => r.succeeded).length,
      failed: real.filter((r) => !r.succeeded).length,
      successRate: rate(real.filter((r) => r.succeeded).length, real.length),
      meanTtrMs: mean(real.flatMap((r) => (r.ttrMs === null ? [] : [r.ttrMs]))),
      meanRpoMs: mean(real.flatMap((r) => (r.rpoMs === null ? [] : [r.rpoMs]))),
      simulations: { total: sims.length, withinTarget: sims.filter((r) => r.succeeded).length },
    },
    byMode: modes.map((mode) => {
      const of = runs.filter((r) => r.mode === mode);
      return {
        mode,
        total: of.length,
        succeeded: of.filter((r) => r.succeeded).length,
        failed: of.filter((r) => !r.succeeded).length,
      };
    }),
    incidents: keys.map((key) =>
      incidentHistory(
        key,
        titles.get(key) ?? key,
        runs.filter((r) => incidentKey(r.runbook, r.incident) === key),
      ),
    ),
    runs,
    running: ordered.filter((r) => live.has(r.runId)),
  };
}

function incidentHistory(key: string, title: string, runs: RunSummary[]): IncidentHistory {
  const real = runs.filter((r) => !r.simulated);
  const sims = runs.filter((r) => r.simulated);
  const finished = real.filter((r) => r.outcome !== 'unfinished');
  const ttrs = real.flatMap((r) => (r.ttrMs === null ? [] : [r.ttrMs]));
  const rpos = real.flatMap((r) => (r.rpoMs === null ? [] : [r.rpoMs]));
  const rpoJudged = real.filter((r) => r.rpoMet !== null);
  const met = finished.filter((r) => r.rtoMet === true).length;
  const first = runs[0];
  return {
    key,
    runbook: first?.runbook ?? '',
    id: first?.incident ?? key,
    title,
    realRuns: real.length,
    succeeded: real.filter((r) => r.succeeded).length,
    failed: real.filter((r) => !r.succeeded).length,
    successRate: rate(real.filter((r) => r.succeeded).length, real.length),
    simulations: { total: sims.length, withinTarget: sims.filter((r) => r.succeeded).length },
    meanTtrMs: mean(ttrs),
    worstTtrMs: ttrs.length > 0 ? Math.max(...ttrs) : null,
    rtoTargetMs: runs.at(-1)?.rtoTargetMs ?? 0,
    rtoCompliance: { met, of: finished.length, rate: rate(met, finished.length) },
    rpo: {
      meanMs: mean(rpos),
      worstMs: rpos.length > 0 ? Math.max(...rpos) : null,
      met: rpoJudged.filter((r) => r.rpoMet === true).length,
      of: rpoJudged.length,
    },
    projectedTtrMs: sims.at(-1)?.ttrMs ?? null,
    trend: trend(ttrs),
    recentTtrMs: ttrs.slice(-10),
    lastRun: runs.at(-1)?.runId ?? '',
    latestReal: real.at(-1) ?? null,
  };
}

/**
 * Lower is better. The newer half of the measured times against the older half (with two runs: the
 * last against the first); odd counts leave the middle run out of both halves.
 */
export function trend(ttrs: number[]): Trend {
  if (ttrs.length < 2) return 'not enough runs';
  const half = Math.floor(ttrs.length / 2);
  const older = mean(ttrs.slice(0, half)) ?? 0;
  const newer = mean(ttrs.slice(ttrs.length - half)) ?? 0;
  if (older === 0) return newer === 0 ? 'steady' : 'worsening';
  const change = (newer - older) / older;
  return change < -TREND_THRESHOLD ? 'improving' : change > TREND_THRESHOLD ? 'worsening' : 'steady';
}

function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((n, v) => n + v, 0) / values.length;
}

export function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
