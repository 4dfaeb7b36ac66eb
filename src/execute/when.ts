import type { WhenSpec } from '../model/runbook.js';
import type { StepStatus } from '../model/step-result.js';
import type { RunVariables } from './variables.js';

/** Whether a step's `when` holds; `undefined` when it cannot be known yet (simulate, value not captured). */
export function whenHolds(when: WhenSpec, vars: RunVariables, statuses: Map<string, StepStatus>): boolean | undefined {
  if (when.step !== undefined) {
    const status = statuses.get(when.step);
    if (status === undefined || status === 'simulated') return undefined;
    return (when.status ?? []).includes(status);
  }
  const value = when.var === undefined ? undefined : vars.get(when.var);
  if (value === undefined) return undefined;
  if (when.equals !== undefined) return value === String(when.equals);
  if (when.not_equals !== undefined) return value !== String(when.not_equals);
  if (when.matches !== undefined) return new RegExp(when.matches).test(value);
  return value !== '' && value !== 'false' && value !== '0';
}
