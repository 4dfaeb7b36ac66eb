import type { Report } from './build-report.js';

/** One past run, as history counts it. */
export interface RunSummary {
  runId: string;
  incident: string;
  mode: string;
  startedAt: string;
  outcome: string;
  exitCode: number | null;
  succeeded: boolean;
  /** Measured time to recover (real runs) or projected (simulations); null when it never recovered. */
  ttrMs: number | null;
  rtoTargetMs: number;
  rtoMet: boolean | null;
  rpoMs: number | null;
  rpoMet: boolean | null;
}

export type Trend = 'improving' | 'worsening' | 'steady' | 'not enough runs';

export interface IncidentHistory {
  id: string;
  title: string;
  runs: number;
  succeeded: number;
  failed: number;
  successRate: number | null;
  simulations: number;
  /** Real runs (auto, interactive): time to recover is measured only there. */
  realRuns: number;
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
}

/** The seeds' DR test statistics (total, completed, failed, success rate, mean RTO/RPO, by type), per incident. */
export interface History {
  overall: { total: number; succeeded: number; failed: number; successRate: number | null; meanTtrMs: number | null; meanRpoMs: number | null };
  byMode: { mode: string; total: number; succeeded: number; failed: number }[];
  incidents: IncidentHistory[];
  runs: RunSummary[];
}

/** A change of more than this share between older and newer runs is a trend, anything less is steady. */
const TREND_THRESHOLD = 0.1;

export function summarizeRun(r: Report): RunSummary {
  const simulated = r.mode === 'simulate';
  return {
    runId: r.runId,
    incident: r.incident.id,
    mode: r.mode,
    startedAt: r.startedAt,
    outcome: r.outcome,
    exitCode: r.exitCode,
    succeeded: r.outcome === 'recovered' || r.outcome === 'simulated',
    ttrMs: simulated ? r.rto.projectedMs : r.rto.measuredMs,
    rtoTargetMs: r.rto.targetMs,
    rtoMet: r.rto.met,
    rpoMs: r.rpo.measuredMs,
    rpoMet: r.rpo.met,
  };
}

export function buildHistory(reports: Report[]): History {
  const runs = reports.map(summarizeRun).sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
  const real = runs.filter((r) => r.mode !== 'simulate');
  const ids = [...new Set(runs.map((r) => r.incident))].sort();
  const titles = new Map(reports.map((r) => [r.incident.id, r.incident.title]));
  const modes = [...new Set(runs.map((r) => r.mode))].sort();
  return {
    overall: {
      total: runs.length,
      succeeded: runs.filter((r) => r.succeeded).length,
      failed: runs.filter((r) => !r.succeeded).length,
      successRate: rate(runs.filter((r) => r.succeeded).length, runs.length),
      meanTtrMs: mean(real.flatMap((r) => (r.ttrMs === null ? [] : [r.ttrMs]))),
      meanRpoMs: mean(real.flatMap((r) => (r.rpoMs === null ? [] : [r.rpoMs]))),
    },
    byMode: modes.map((mode) => {
      const of = runs.filter((r) => r.mode === mode);
      return { mode, total: of.length, succeeded: of.filter((r) => r.succeeded).length, failed: of.filter((r) => !r.succeeded).length };
    }),
    incidents: ids.map((id) => incidentHistory(id, titles.get(id) ?? id, runs.filter((r) => r.incident === id))),
    runs,
  };
}

function incidentHistory(id: string, title: string, runs: RunSummary[]): IncidentHistory {
  const real = runs.filter((r) => r.mode !== 'simulate');
  const finished = real.filter((r) => r.outcome !== 'unfinished');
  const ttrs = real.flatMap((r) => (r.ttrMs === null ? [] : [r.ttrMs]));
  const rpos = real.flatMap((r) => (r.rpoMs === null ? [] : [r.rpoMs]));
  const rpoJudged = real.filter((r) => r.rpoMet !== null);
  const lastSimulation = runs.filter((r) => r.mode === 'simulate').at(-1);
  const met = finished.filter((r) => r.rtoMet === true).length;
  return {
    id,
    title,
    runs: runs.length,
    succeeded: runs.filter((r) => r.succeeded).length,
    failed: runs.filter((r) => !r.succeeded).length,
    successRate: rate(runs.filter((r) => r.succeeded).length, runs.length),
    simulations: runs.length - real.length,
    realRuns: real.length,
    meanTtrMs: mean(ttrs),
    worstTtrMs: ttrs.length > 0 ? Math.max(...ttrs) : null,
    rtoTargetMs: runs.at(-1)?.rtoTargetMs ?? 0,
    rtoCompliance: { met, of: finished.length, rate: rate(met, finished.length) },
    rpo: { meanMs: mean(rpos), worstMs: rpos.length > 0 ? Math.max(...rpos) : null, met: rpoJudged.filter((r) => r.rpoMet === true).length, of: rpoJudged.length },
    projectedTtrMs: lastSimulation?.ttrMs ?? null,
    trend: trend(ttrs),
    recentTtrMs: ttrs.slice(-10),
    lastRun: runs.at(-1)?.runId ?? '',
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

function rate(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part / whole) * 1000) / 10;
}
