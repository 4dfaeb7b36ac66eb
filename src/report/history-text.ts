import { formatDuration } from '../model/duration.js';
import type { History } from './build-history.js';

const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(Math.round(v)));
const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);

type Table = (header: string[], rows: string[][]) => string;

/** History for a terminal: the overall figures, one row per runbook incident, then the most recent runs. */
export function historyText(h: History, table: Table, recent = 10): string {
  const o = h.overall;
  const lines = [
    `${o.realRuns} real run${o.realRuns === 1 ? '' : 's'}: ${o.succeeded} recovered within target, ${o.failed} did not (success rate ${pct(o.successRate)}); mean time to recover ${ms(o.meanTtrMs)}, mean data-loss window ${ms(o.meanRpoMs)}`,
    `simulations (apart): ${o.simulations.total}, ${o.simulations.withinTarget} projected within target`,
    `by mode: ${h.byMode.map((m) => `${m.mode} ${m.total} (${m.succeeded} within target)`).join(', ')}`,
    '',
    incidentTable(h, table),
    '',
    'Success, time to recover (TTR) and RTO compliance count real runs (auto, interactive) only: success is a recovery within the RTO and RPO.',
    ...recentRuns(h, table, recent),
    ...h.running.map(
      (r) => `Running now, not counted until it ends: ${r.runId} (${r.runbook}/${r.incident}, ${r.mode})`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

const INCIDENT_COLUMNS = [
  'RUNBOOK',
  'INCIDENT',
  'REAL RUNS',
  'SUCCESS',
  'MEAN TTR',
  'WORST TTR',
  'RTO',
  'RTO MET',
  'TREND',
  'LAST TTRS',
  'SIMULATIONS',
];

function incidentTable(h: History, table: Table): string {
  const rows = h.incidents.map((i) => {
    const { met, of, rate } = i.rtoCompliance;
    const lastTtrs = i.recentTtrMs.slice(-5).map(ms).join(' > ') || '-';
    const projected = i.projectedTtrMs === null ? '' : `, last ~${ms(i.projectedTtrMs)}`;
    return [
      i.runbook,
      i.id,
      String(i.realRuns),
      pct(i.successRate),
      ms(i.meanTtrMs),
      ms(i.worstTtrMs),
      formatDuration(i.rtoTargetMs),
      of === 0 ? 'n/a' : `${met}/${of} (${pct(rate)})`,
      i.trend,
      lastTtrs,
      i.simulations.total === 0
        ? '-'
        : `${i.simulations.withinTarget}/${i.simulations.total} within target${projected}`,
    ];
  });
  return table(INCIDENT_COLUMNS, rows).trimEnd();
}

function recentRuns(h: History, table: Table, recent: number): string[] {
  const last = h.runs.slice(-recent).reverse();
  if (last.length === 0) return [];
  const rows = last.map((r) => {
    const ttr = r.simulated && r.ttrMs !== null ? `~${ms(r.ttrMs)}` : ms(r.ttrMs);
    return [r.runId, r.runbook, r.mode, r.outcome, ttr, r.verdict];
  });
  return [
    '',
    `Most recent ${last.length === 1 ? 'run' : `${last.length} runs`}:`,
    '',
    table(['RUN', 'RUNBOOK', 'MODE', 'OUTCOME', 'TTR', 'VERDICT'], rows).trimEnd(),
  ];
}
