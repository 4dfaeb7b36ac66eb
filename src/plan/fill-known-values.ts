import { mapStrings } from '../model/map-strings.js';
import { renderTemplate } from '../model/template.js';
import { incidentValues } from '../resolve/builtin-values.js';
import type { Plan, PlanStep } from './plan-types.js';

/**
 * The plan as documents show it: the values known before a run (the environment's variables and
 * the incident's built-ins) filled in one pass, run-time values ({{ elapsed }}, captures, secrets)
 * left as written. For reading only; a run fills the plan's own templates (src/execute/variables.ts).
 */
export function fillKnownValues(plan: Plan): Plan {
  const known = new Map([
    ...Object.entries(plan.variables),
    ...incidentValues({ ...plan.incident, rpo: plan.incident.rpo ?? 'none' }, plan.environment),
  ]);
  const fill = <T>(value: T): T => mapStrings(value, (text) => renderTemplate(text, (name) => known.get(name)));
  const step = (s: PlanStep): PlanStep => fill(s);
  return {
    ...plan,
    phases: plan.phases.map((p) => ({ ...p, steps: p.steps.map(step) })),
    rollback: plan.rollback.map(step),
    always: plan.always.map(step),
    cleanup: plan.cleanup.map(step),
    recovered: fill(plan.recovered),
  };
}
