import type { Pool } from 'pg';
import type { JournalEvent } from '../journal/events.js';
import { messageOf } from '../model/error-message.js';
import { buildPlan } from '../plan/build-plan.js';
import { fillKnownValues } from '../plan/fill-known-values.js';
import type { Plan } from '../plan/plan-types.js';
import { resolveEnvironment } from '../resolve/resolve-environment.js';
import { HttpError } from './context.js';
import { runbookSource, validated } from './runbook-registry.js';
import { findServiceRun } from './service-runs.js';

type RunStarted = Extract<JournalEvent, { type: 'run-started' }>;

/**
 * The plan a run walks, as documents show it (the values known before the run filled in, secrets and run-time
 * values left as written), built by the plan builder from the runbook text the run used: once the run has started,
 * the text with its journal's sha256 and its journal's environment and variables; before that, the request's
 * registered runbook and environment.
 */
export async function runPlan(pool: Pool, id: string): Promise<Plan> {
  const service = await findServiceRun(pool, id);
  const runId = service?.runId ?? (service ? null : id);
  const started = runId === null ? undefined : await runStarted(pool, runId);
  if (!service && !started) throw new HttpError(404, `no run "${id}"`);
  const name = started?.runbook.name ?? service?.runbook ?? '';
  const text = started ? await textWithSha(pool, name, started.runbook.sha256) : await runbookSource(pool, name);
  if (text === undefined)
    throw new HttpError(409, `the text of runbook "${name}" that this run used is not in the store`);
  try {
    const runbook = validated(started?.runbook.file ?? name, text);
    const environment = resolveEnvironment(
      runbook,
      started?.environment ?? service?.environment ?? undefined,
      started?.variables ?? {},
    );
    const incidentId = started?.incident.id ?? service?.incident ?? '';
    return fillKnownValues(buildPlan({ runbook, file: started?.runbook.file ?? name, text, incidentId, environment }));
  } catch (error) {
    if (error instanceof HttpError) throw error;
    throw new HttpError(409, `the plan of run "${id}" cannot be built: ${messageOf(error)}`);
  }
}

async function runStarted(pool: Pool, runId: string): Promise<RunStarted | undefined> {
  const r = await pool.query<{ payload: RunStarted }>(
    `select payload from events where run_id = $1 and type = 'run-started' order by seq limit 1`,
    [runId],
  );
  return r.rows[0]?.payload;
}

/** The runbook text whose sha256 the journal recorded: shipped with the run, else the registered one if it is the same. */
async function textWithSha(pool: Pool, name: string, sha256: string): Promise<string | undefined> {
  const shipped = await pool.query<{ source: string | null }>('select source from runbooks where sha256 = $1', [
    sha256,
  ]);
  const text = shipped.rows[0]?.source ?? undefined;
  if (text !== undefined && text !== null) return text;
  const registered = await pool.query<{ source: string }>(
    'select source from service_runbooks where name = $1 and sha256 = $2',
    [name, sha256],
  );
  return registered.rows[0]?.source;
}
