import { UsageError } from '../model/errors.js';
import { closestName } from '../model/closest-name.js';
import { stepLists, type Runbook } from '../model/runbook.js';
import { flattenVars } from './variables.js';

export interface ResolvedEnvironment {
  name: string;
  vars: Map<string, string>;
}

/** Picks the environment a run or plan uses: the one named, else the first one the runbook lists. */
export function resolveEnvironment(
  runbook: Runbook,
  requested: string | undefined,
  overrides: Record<string, string> = {},
): ResolvedEnvironment {
  const names = Object.keys(runbook.environments ?? {});
  const name = requested ?? names[0] ?? 'default';
  if (requested !== undefined && !names.includes(requested)) {
    throw new UsageError(`unknown environment "${requested}"; this runbook defines: ${names.join(', ') || 'none'}`);
  }
  const vars = flattenVars(runbook.environments?.[name]?.vars);
  const known = variableNames(runbook);
  for (const [key, value] of Object.entries(overrides)) {
    if (!known.has(key)) {
      const near = closestName(key, known);
      throw new UsageError(
        `--var ${key}: "${key}" is not a variable of this runbook${near ? `; did you mean "${near}"?` : ''} (it defines: ${listSome([...known].sort())})`,
      );
    }
    vars.set(key, value);
  }
  return { name, vars };
}

/** The names --var may set: every environment's variables and every value a step captures. */
function variableNames(runbook: Runbook): Set<string> {
  const names = new Set<string>();
  for (const env of Object.values(runbook.environments ?? {}))
    for (const key of flattenVars(env.vars).keys()) names.add(key);
  for (const incident of runbook.incidents) {
    for (const list of stepLists(incident, ''))
      for (const step of list.steps) for (const key of Object.keys(step.capture ?? {})) names.add(key);
  }
  return names;
}

function listSome(names: string[]): string {
  if (names.length === 0) return 'none';
  return names.length > 12 ? `${names.slice(0, 12).join(', ')} and ${names.length - 12} more` : names.join(', ');
}
