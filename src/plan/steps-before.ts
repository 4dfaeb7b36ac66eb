import type { Plan } from './plan-types.js';

/** --from STEP: the phase steps before it in walk order, which the run records as skipped by the operator. */
export function phaseStepsBefore(plan: Plan, stepId: string): string[] {
  const order = plan.phases.flatMap((p) => p.steps.map((s) => s.id));
  return order.slice(0, Math.max(0, order.indexOf(stepId)));
}
