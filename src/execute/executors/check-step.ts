import type { PlanStep } from '../../plan/plan-types.js';
import { runCheck } from '../checks/registry.js';
import { sleep } from '../sleep.js';
import type { Attempt, ExecutorContext } from './executor.js';

/** `check`: one probe with its expectations. */
export async function executeCheck(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  if (!step.check) return { status: 'failed', error: 'no check' };
  const outcome = await runCheck(ctx.vars.prepareCheck(step.check), ctx.signal);
  return { status: outcome.ok ? 'passed' : 'failed', fields: outcome.fields, output: outcome.description, ...(outcome.error ? { error: outcome.error } : {}) };
}

/** `wait`: polls the probe every `every` until it holds or the wait's own timeout passes. */
export async function executeWait(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const wait = step.wait;
  if (!wait) return { status: 'failed', error: 'no wait' };
  const { every: _every, everyMs, timeoutMs, timeout: _timeout, ...check } = wait;
  const deadline = Date.now() + timeoutMs;
  let polls = 0;
  for (;;) {
    polls += 1;
    const outcome = await runCheck(ctx.vars.prepareCheck(check), ctx.signal);
    if (outcome.ok) return { status: 'passed', fields: outcome.fields, output: `${outcome.description}: held after ${polls} poll(s)` };
    if (ctx.signal.aborted) return { status: 'unknown', error: 'interrupted' };
    if (Date.now() + everyMs > deadline) {
      return { status: 'timed-out', fields: outcome.fields, error: `still not holding after ${polls} poll(s) in ${timeoutMs} ms: ${outcome.error ?? ''}` };
    }
    await sleep(everyMs, ctx.signal);
  }
}
