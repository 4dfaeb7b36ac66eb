import { formatDuration } from '../../model/duration.js';
import type { Plan } from '../../plan/plan-types.js';
import { cell, table } from '../markdown/text.js';
import { countsTowardRto, rtoBudgetMs } from '../../plan/rto-clock.js';

export interface TimelineRow {
  title: string;
  budgetMs: number;
  cumulativeMs: number;
  estimateMs: number;
  outsideRto: boolean;
}

/**
 * Phase budgets laid end to end, beside what the step estimates add up to (what simulate projects).
 * The cumulative figure is RTO time: a phase outside the RTO clock does not add to it.
 */
export function timelineRows(plan: Plan): TimelineRow[] {
  let cumulativeMs = 0;
  return plan.phases.map((phase) => {
    if (countsTowardRto(phase)) cumulativeMs += phase.budgetMs;
    return {
      title: phase.title,
      budgetMs: phase.budgetMs,
      cumulativeMs,
      estimateMs: phase.steps.reduce((n, s) => n + s.estimateMs, 0),
      outsideRto: !countsTowardRto(phase),
    };
  });
}

/** The seeds' "Failover Timeline Summary", made from budgets: phase, budget, cumulative, against the RTO. */
export function timelineTable(plan: Plan): string[] {
  const rows = timelineRows(plan);
  const rto = plan.incident.rtoMs;
  const totalBudget = rtoBudgetMs(plan.phases);
  const totalEstimate = rows.filter((r) => !r.outsideRto).reduce((n, r) => n + r.estimateMs, 0);
  const body = rows.map((r, i) => [
    `${i + 1}. ${cell(r.title)}`,
    formatDuration(r.budgetMs),
    r.outsideRto ? '' : formatDuration(r.cumulativeMs),
    `~${formatDuration(r.estimateMs)}`,
    r.outsideRto ? 'outside the RTO clock' : `${percent(r.cumulativeMs, rto)} of RTO`,
  ]);
  const verdict =
    totalBudget <= rto
      ? `within RTO ${formatDuration(rto)} (${formatDuration(rto - totalBudget)} to spare)`
      : `OVER RTO ${formatDuration(rto)}`;
  body.push([
    '**Total**',
    `**${formatDuration(totalBudget)}**`,
    `**${formatDuration(totalBudget)}**`,
    `**~${formatDuration(totalEstimate)}**`,
    `**${verdict}**`,
  ]);
  return [
    ...table(['Phase', 'Budget', 'Cumulative', 'Steps estimated', 'Against RTO'], body, [
      'left',
      'right',
      'right',
      'right',
      'left',
    ]),
    '',
    `Budgets are the most each phase may take; "steps estimated" adds up the step estimates, which is what \`drillbook run ${plan.incident.id} --mode simulate\` projects.${rows.some((r) => r.outsideRto) ? ' A phase outside the RTO clock is held to its own budget only; the totals leave it out.' : ''}`,
  ];
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : 'n/a';
}
