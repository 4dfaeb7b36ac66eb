import { formatDuration } from '../model/duration.js';
import type { History } from './build-history.js';

const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(Math.round(v)));
const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);
const yesNo = (v: boolean | null) => (v === null ? '-' : v ? 'yes' : 'NO');

/** History for a terminal: the overall figures, one row per incident, then the most recent runs. */
export function historyText(h: History, table: (header: string[], rows: string[][]) => string, recent = 10): string {
  const o = h.overall;
  const lines = [
    `${o.total} run${o.total === 1 ? '' : 's'}: ${o.succeeded} succeeded, ${o.failed} failed (success rate ${pct(o.successRate)}); mean time to recover ${ms(o.meanTtrMs)}, mean data-loss window ${ms(o.meanRpoMs)}`,
    `by mode: ${h.byMode.map((m) => `${m.mode} ${m.total} (${m.succeeded} ok)`).join(', ')}`,
    '',
    table(
      ['INCIDENT', 'RUNS', 'SUCCESS', 'MEAN TTR', 'WORST TTR', 'RTO', 'RTO MET', 'TREND', 'LAST TTRS'],
      h.incidents.map((i) => [
        i.id,
        i.simulations > 0 ? `${i.runs} (${i.simulations} sim)` : String(i.runs),
        pct(i.successRate),
        i.meanTtrMs === null && i.projectedTtrMs !== null ? `~${ms(i.projectedTtrMs)} projected` : ms(i.meanTtrMs),
        ms(i.worstTtrMs),
        formatDuration(i.rtoTargetMs),
        i.rtoCompliance.of === 0 ? 'n/a' : `${i.rtoCompliance.met}/${i.rtoCompliance.of} (${pct(i.rtoCompliance.rate)})`,
        i.trend,
        i.recentTtrMs.slice(-5).map((v) => ms(v)).join(' > ') || '-',
      ]),
    ).trimEnd(),
    '',
    'Time to recover (TTR) and RTO compliance count real runs (auto, interactive) only; a failed recovery is not compliant.',
  ];
  const last = h.runs.slice(-recent).reverse();
  if (last.length > 0) {
    lines.push('', `Most recent ${last.length === 1 ? 'run' : `${last.length} runs`}:`, '', table(
      ['RUN', 'MODE', 'OUTCOME', 'TTR', 'RTO MET', 'RPO MET'],
      last.map((r) => [r.runId, r.mode, r.outcome, r.mode === 'simulate' && r.ttrMs !== null ? `~${ms(r.ttrMs)}` : ms(r.ttrMs), yesNo(r.rtoMet), yesNo(r.rpoMet)]),
    ).trimEnd());
  }
  return `${lines.join('\n')}\n`;
}
