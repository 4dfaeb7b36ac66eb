/**
 * Which phases the RTO clock runs through. A phase with `outside_rto: true` (drill set-up before the
 * disaster is declared, failback, watching the new primary, the review) is timed against its own budget
 * only: its budget is not held against the RTO and its time is taken out of the time to recover.
 */
export interface ClockPhase {
  budgetMs: number;
  outsideRto?: boolean;
}

export const countsTowardRto = (phase: ClockPhase): boolean => phase.outsideRto !== true;

/** The budgets the RTO must cover: those of the phases that count toward it. */
export function rtoBudgetMs(phases: ClockPhase[]): number {
  return phases.filter(countsTowardRto).reduce((n, p) => n + p.budgetMs, 0);
}
