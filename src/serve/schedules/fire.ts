import { randomUUID } from 'node:crypto';
import { messageOf } from '../../model/error-message.js';
import { HttpError, type ServiceContext } from '../context.js';
import { queueRun } from '../queue-run.js';
import type { RunRequest } from '../service-runs.js';
import { findSchedule, recordFiring } from './schedule-store.js';

/**
 * A schedule fires: a normal run is queued through the same function POST /api/runs uses, its operator
 * `schedule:<id>`. A firing that cannot queue (its runbook unregistered meanwhile) is kept as the schedule's
 * last error and thrown (HttpError 404/422).
 */
export async function fireSchedule(ctx: ServiceContext, id: number): Promise<RunRequest> {
  const schedule = await findSchedule(ctx.pool, id);
  if (!schedule) throw new HttpError(404, `no schedule ${id}`);
  const req: RunRequest = {
    id: randomUUID(),
    runbook: schedule.runbook,
    incident: schedule.incident,
    mode: schedule.mode,
    ...(schedule.environment !== null ? { environment: schedule.environment } : {}),
    vars: schedule.vars,
    requestedBy: `schedule:${id}`,
    scheduleId: id,
  };
  try {
    await queueRun(ctx, req);
  } catch (error) {
    await recordFiring(ctx.pool, id, null, messageOf(error));
    throw error;
  }
  await recordFiring(ctx.pool, id, req.id, null);
  return req;
}
