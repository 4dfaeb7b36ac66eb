import type { PlanStep } from '../../plan/plan-types.js';
import type { Attempt, ExecutorContext } from './executor.js';
import { messageOf } from '../../model/error-message.js';

/** `notify`: renders the status message with the run's clock (elapsed, ETA) and sends it. */
export async function executeNotify(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const text = ctx.vars.render(step.notify?.text ?? '');
  await ctx.notify(step, text);
  const webhook = step.notify?.webhook ? ctx.vars.render(step.notify.webhook) : undefined;
  if (!webhook) return { status: 'passed', output: text };
  try {
    const response = await fetch(webhook, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ text }),
      signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(10_000)]),
    });
    return response.ok
      ? { status: 'passed', output: text }
      : { status: 'failed', output: text, error: `webhook answered HTTP ${response.status}` };
  } catch (error) {
    return { status: 'failed', output: text, error: `webhook failed: ${messageOf(error)}` };
  }
}
