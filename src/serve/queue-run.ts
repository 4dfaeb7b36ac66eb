import type { ServiceContext } from './context.js';
import { HttpError } from './context.js';
import { RUN_QUEUE } from './queue.js';
import { runbookSource, validated } from './runbook-registry.js';
import { insertServiceRun, type RunRequest } from './service-runs.js';

/**
 * The one way a run is queued, whoever asks (POST /api/runs, a schedule firing): checked against its registered
 * runbook, recorded as a queued request, then handed to pg-boss for any worker. Throws HttpError 404/422 when it
 * cannot run, before anything is recorded.
 */
export async function queueRun(ctx: ServiceContext, req: RunRequest): Promise<void> {
  await checkRunnable(ctx, req);
  await insertServiceRun(ctx.pool, req);
  await ctx.boss.send(RUN_QUEUE, req, { id: req.id });
}

/** 404/422 before anything is queued: the runbook registered, the incident and environment in it. */
export async function checkRunnable(
  ctx: ServiceContext,
  req: Pick<RunRequest, 'runbook' | 'incident' | 'environment'>,
): Promise<void> {
  const source = await runbookSource(ctx.pool, req.runbook);
  if (source === undefined) throw new HttpError(404, `no runbook "${req.runbook}" is registered (POST /api/runbooks)`);
  const runbook = validated(req.runbook, source);
  if (!runbook.incidents.some((i) => i.id === req.incident))
    throw new HttpError(
      422,
      `runbook "${req.runbook}" has no incident "${req.incident}"; it has ${runbook.incidents.map((i) => i.id).join(', ')}`,
    );
  if (req.environment !== undefined && !Object.hasOwn(runbook.environments ?? {}, req.environment))
    throw new HttpError(
      422,
      `runbook "${req.runbook}" has no environment "${req.environment}"; it has ${Object.keys(runbook.environments ?? {}).join(', ') || 'none'}`,
    );
}
