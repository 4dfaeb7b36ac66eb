import type { Plan, PlanSection, PlanStep } from './plan-types.js';
import { rollbackRunOrder } from './rollback-order.js';

/** One section of a plan as a run walks it: a phase (with its budget), or the rollback, cleanup or always steps. */
export interface WalkSection {
  section: PlanSection;
  /** The phase id, or the section's name outside the phases. */
  id: string;
  title: string;
  /** A phase's budget; null outside the phases. */
  budgetMs: number | null;
  steps: PlanStep[];
}

const AFTER_PHASES = [
  { section: 'rollback', title: 'Rollback' },
  { section: 'cleanup', title: 'Cleanup' },
  { section: 'always', title: 'Always' },
] as const;

/**
 * The one list of the steps a plan walks, in the order a run walks them: the phases, then the
 * rollback (bottom-up, when a step's failure asks for it), then cleanup (after a recovery), then
 * always (whatever happened). The run, the live display, preflight, `plan` and the documents read it.
 */
export function planSections(plan: Plan): WalkSection[] {
  return [
    ...plan.phases.map((p) => ({
      section: 'phase' as const,
      id: p.id,
      title: p.title,
      budgetMs: p.budgetMs,
      steps: p.steps,
    })),
    ...AFTER_PHASES.filter(({ section }) => plan[section].length > 0).map(({ section, title }) => ({
      section,
      id: section,
      title,
      budgetMs: null,
      steps: section === 'rollback' ? rollbackRunOrder(plan.rollback) : plan[section],
    })),
  ];
}

/** Every step of a plan, in walk order. */
export function planSteps(plan: Plan): PlanStep[] {
  return planSections(plan).flatMap((s) => s.steps);
}
