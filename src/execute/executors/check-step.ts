import type { PlanStep } from '../../plan/plan-types.js';
import { runCheck, type CheckOutcome } from '../checks/registry.js';
import { stepDeadline } from '../step-deadline.js';
import { sleep } from '../sleep.js';
import type { Attempt, ExecutorContext } from './executor.js';

/** `check`: one probe with its expectations, within the step's `timeout`. */
export async function executeCheck(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  if (!step.check) return { status: 'failed', error: 'no check' };
  const deadline = stepDeadline(step.timeoutMs, ctx.signal);
  const outcome = await runCheck(ctx.vars.prepareCheck(step.check), deadline.signal, deadline.remainingMs());
  const base = { fields: outcome.fields, output: withDetail(outcome) };
  if (outcome.ok) return { ...base, status: 'passed' };
  if (ctx.signal.aborted) return { ...base, status: 'unknown', error: 'interrupted' };
  if (deadline.expired())
    return { ...base, status: 'timed-out', error: `timed out after ${step.timeoutMs ?? 0} ms: ${outcome.error ?? ''}` };
  return { ...base, status: 'failed', ...(outcome.error ? { error: outcome.error } : {}) };
}

/**
 * `wait`: polls the probe every `every` until it holds, or until the wait's `timeout` or the step's `timeout`
 * (whichever is sooner) passes. No poll runs past that deadline: each one's probe deadline is what is left.
 */
export async function executeWait(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const wait = step.wait;
  if (!wait) return { status: 'failed', error: 'no wait' };
  const { every: _every, everyMs, timeoutMs: waitMs, timeout: _timeout, ...check } = wait;
  const limitMs = step.timeoutMs === null ? waitMs : Math.min(waitMs, step.timeoutMs);
  const deadline = stepDeadline(limitMs, ctx.signal);
  let polls = 0;
  for (;;) {
    polls += 1;
    const outcome = await runCheck(ctx.vars.prepareCheck(check), deadline.signal, deadline.remainingMs());
    if (outcome.ok)
      return {
        status: 'passed',
        fields: outcome.fields,
        output: withDetail({ ...outcome, description: `${outcome.description}: held after ${polls} poll(s)` }),
      };
    if (ctx.signal.aborted) return { status: 'unknown', error: 'interrupted' };
    if (deadline.expired() || (deadline.remainingMs() ?? 0) < everyMs) {
      return {
        status: 'timed-out',
        fields: outcome.fields,
        error: `still not holding after ${polls} poll(s) in ${limitMs} ms: ${outcome.error ?? ''}`,
      };
    }
    await sleep(everyMs, deadline.signal);
  }
}

/** The check's description, and on the next line what the probe found when its kind says (the file, its age...). */
function withDetail(outcome: CheckOutcome): string {
  return outcome.detail ? `${outcome.description}\n${outcome.detail}` : outcome.description;
}
