import { UsageError } from '../model/errors.js';
import type { Runbook } from '../model/runbook.js';
import { flattenVars } from './variables.js';

export interface ResolvedEnvironment {
  name: string;
  vars: Map<string, string>;
}

/** Picks the environment a run or plan uses: the one named, else the first one the runbook lists. */
export function resolveEnvironment(runbook: Runbook, requested: string | undefined, overrides: Record<string, string> = {}): ResolvedEnvironment {
  const names = Object.keys(runbook.environments ?? {});
  const name = requested ?? names[0] ?? 'default';
  if (requested !== undefined && !names.includes(requested)) {
    throw new UsageError(`unknown environment "${requested}"; this runbook defines: ${names.join(', ') || 'none'}`);
  }
  const vars = flattenVars(runbook.environments?.[name]?.vars);
  for (const [key, value] of Object.entries(overrides)) vars.set(key, value);
  return { name, vars };
}
