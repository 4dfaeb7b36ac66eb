import { formatDuration } from '../../model/duration.js';
import type { Plan } from '../../plan/plan-types.js';
import { cell, table } from '../markdown/text.js';

export interface TimelineRow { title: string; budgetMs: number; cumulativeMs: number; estimateMs: number }

/** Phase budgets laid end to end, beside what the step estimates add up to (what simulate projects). */
export function timelineRows(plan: Plan): TimelineRow[] {
  let cumulativeMs = 0;
  return plan.phases.map((phase) => {
    cumulativeMs += phase.budgetMs;
    return { title: phase.title, budgetMs: phase.budgetMs, cumulativeMs, estimateMs: phase.steps.reduce((n, s) => n + s.estimateMs, 0) };
  });
}

/** The seeds' "Failover Timeline Summary", made from budgets: phase, budget, cumulative, against the RTO. */
export function timelineTable(plan: Plan): string[] {
  const rows = timelineRows(plan);
  const rto = plan.incident.rtoMs;
  const totalBudget = rows.at(-1)?.cumulativeMs ?? 0;
  const totalEstimate = rows.reduce((n, r) => n + r.estimateMs, 0);
  const body = rows.map((r, i) => [
    `${i + 1}. ${cell(r.title)}`,
    formatDuration(r.budgetMs),
    formatDuration(r.cumulativeMs),
    `~${formatDuration(r.estimateMs)}`,
    `${percent(r.cumulativeMs, rto)} of RTO`,
  ]);
  const verdict = totalBudget <= rto ? `within RTO ${formatDuration(rto)} (${formatDuration(rto - totalBudget)} to spare)` : `OVER RTO ${formatDuration(rto)}`;
  body.push(['**Total**', `**${formatDuration(totalBudget)}**`, `**${formatDuration(totalBudget)}**`, `**~${formatDuration(totalEstimate)}**`, `**${verdict}**`]);
  return [
    ...table(['Phase', 'Budget', 'Cumulative', 'Steps estimated', 'Against RTO'], body, ['left', 'right', 'right', 'right', 'left']),
    '',
    `Budgets are the most each phase may take; "steps estimated" adds up the step estimates, which is what \`drillbook run ${plan.incident.id} --mode simulate\` projects.`,
  ];
}

function percent(part: number, whole: number): string {
  return whole > 0 ? `${Math.round((part / whole) * 100)}%` : 'n/a';
}
