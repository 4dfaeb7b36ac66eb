import { formatDuration } from '../model/duration.js';
import type { History } from './build-history.js';

const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(Math.round(v)));
const pct = (v: number | null) => (v === null ? 'n/a' : `${v}%`);

/** History for a terminal: the overall figures, one row per runbook incident, then the most recent runs. */
export function historyText(h: History, table: (header: string[], rows: string[][]) => string, recent = 10): string {
  const o = h.overall;
  const lines = [
    `${o.realRuns} real run${o.realRuns === 1 ? '' : 's'}: ${o.succeeded} recovered within target, ${o.failed} did not (success rate ${pct(o.successRate)}); mean time to recover ${ms(o.meanTtrMs)}, mean data-loss window ${ms(o.meanRpoMs)}`,
    `simulations (apart): ${o.simulations.total}, ${o.simulations.withinTarget} projected within target`,
    `by mode: ${h.byMode.map((m) => `${m.mode} ${m.total} (${m.succeeded} within target)`).join(', ')}`,
    '',
    table(
      [
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
      ],
      h.incidents.map((i) => [
        i.runbook,
        i.id,
        String(i.realRuns),
        pct(i.successRate),
        ms(i.meanTtrMs),
        ms(i.worstTtrMs),
        formatDuration(i.rtoTargetMs),
        i.rtoCompliance.of === 0
          ? 'n/a'
          : `${i.rtoCompliance.met}/${i.rtoCompliance.of} (${pct(i.rtoCompliance.rate)})`,
        i.trend,
        i.recentTtrMs
          .slice(-5)
          .map((v) => ms(v))
          .join(' > ') || '-',
        i.simulations.total === 0
          ? '-'
          : `${i.simulations.withinTarget}/${i.simulations.total} within target${i.projectedTtrMs === null ? '' : `, last ~${ms(i.projectedTtrMs)}`}`,
      ]),
    ).trimEnd(),
    '',
    'Success, time to recover (TTR) and RTO compliance count real runs (auto, interactive) only: success is a recovery within the RTO and RPO.',
  ];
  const last = h.runs.slice(-recent).reverse();
  if (last.length > 0) {
    lines.push(
      '',
      `Most recent ${last.length === 1 ? 'run' : `${last.length} runs`}:`,
      '',
      table(
        ['RUN', 'RUNBOOK', 'MODE', 'OUTCOME', 'TTR', 'VERDICT'],
        last.map((r) => [
          r.runId,
          r.runbook,
          r.mode,
          r.outcome,
          r.simulated && r.ttrMs !== null ? `~${ms(r.ttrMs)}` : ms(r.ttrMs),
          r.verdict,
        ]),
      ).trimEnd(),
    );
  }
  return `${lines.join('\n')}\n`;
}
