import type { PlanStep } from '../../plan/plan-types.js';
import type { Attempt, ExecutorContext } from '../executors/executor.js';
import { messageOf } from '../../model/error-message.js';
import { deliveryErrors } from './send.js';
import { postWebhook } from './webhook.js';

const WEBHOOK_TIMEOUT_MS = 10_000;

/** `notify`: renders the status message with the run's clock (elapsed, ETA) and sends it: a webhook, channels. */
export async function executeNotify(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const text = ctx.vars.render(step.notify?.text ?? '');
  await ctx.notify(step, text);
  const problems: string[] = [];
  const webhook = step.notify?.webhook ? ctx.vars.render(step.notify.webhook) : undefined;
  if (webhook) {
    await postWebhook(webhook, text, ctx.signal, WEBHOOK_TIMEOUT_MS).catch((error: unknown) => {
      problems.push(messageOf(error));
    });
  }
  if (step.notify?.to?.length) {
    const failed = deliveryErrors(await ctx.send(`step ${step.id}`, step.notify.to, text));
    if (failed) problems.push(failed);
  }
  return problems.length === 0
    ? { status: 'passed', output: text }
    : { status: 'failed', output: text, error: problems.join('; ') };
}
