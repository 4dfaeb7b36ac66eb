import type { Pool } from 'pg';

/** queued → running → finished | failed | cancelled | interrupted; cancelled also straight from queued. */
export type ServiceRunStatus = 'queued' | 'running' | 'finished' | 'failed' | 'cancelled' | 'interrupted';

/** What a worker needs to start a run: the request as the API took it. */
export interface RunRequest {
  id: string;
  runbook: string;
  incident: string;
  mode: 'simulate' | 'auto';
  environment?: string;
  vars?: Record<string, string>;
  /** The token name that asked for it, or `schedule:<id>`: the run's operator. */
  requestedBy: string;
  /** The schedule that fired it, if one did. */
  scheduleId?: number;
}

export interface ServiceRun {
  id: string;
  runbook: string;
  incident: string;
  mode: string;
  environment: string | null;
  status: ServiceRunStatus;
  runId: string | null;
  requestedBy: string;
  requestedAt: string;
  worker: string | null;
  startedAt: string | null;
  endedAt: string | null;
  exitCode: number | null;
  error: string | null;
  scheduleId: number | null;
}

/** The channel a cancel is announced on: whichever worker holds the run stops it. */
export const CANCEL_CHANNEL = 'drillbook_cancel';

interface Row {
  id: string;
  runbook: string;
  incident: string;
  mode: string;
  environment: string | null;
  status: ServiceRunStatus;
  run_id: string | null;
  requested_by: string;
  requested_at: Date;
  worker: string | null;
  started_at: Date | null;
  ended_at: Date | null;
  exit_code: number | null;
  error: string | null;
  schedule_id: string | null;
}

function fromRow(r: Row): ServiceRun {
  return {
    id: r.id,
    runbook: r.runbook,
    incident: r.incident,
    mode: r.mode,
    environment: r.environment,
    status: r.status,
    runId: r.run_id,
    requestedBy: r.requested_by,
    requestedAt: r.requested_at.toISOString(),
    worker: r.worker,
    startedAt: r.started_at?.toISOString() ?? null,
    endedAt: r.ended_at?.toISOString() ?? null,
    exitCode: r.exit_code,
    error: r.error,
    scheduleId: r.schedule_id === null ? null : Number(r.schedule_id),
  };
}

export async function insertServiceRun(pool: Pool, req: RunRequest): Promise<void> {
  await pool.query(
    `insert into service_runs (id, runbook, incident, mode, environment, status, requested_by, schedule_id)
     values ($1, $2, $3, $4, $5, 'queued', $6, $7)`,
    [req.id, req.runbook, req.incident, req.mode, req.environment ?? null, req.requestedBy, req.scheduleId ?? null],
  );
}

/** The request by its own id, or by the run id its journal got. */
export async function findServiceRun(pool: Pool, id: string): Promise<ServiceRun | undefined> {
  const r = await pool.query<Row>(
    `select * from service_runs where id::text = $1 or run_id = $1 order by requested_at limit 1`,
    [id],
  );
  return r.rows[0] ? reconcile(pool, fromRow(r.rows[0])) : undefined;
}

/** What a run whose worker died says in its journal (src/cli/run-stop.ts). */
const HUNG_UP = 'hung up';
export const WORKER_GONE =
  'the worker running it died; the run was interrupted and is not re-run: resume it by hand (docs/service.md)';

/**
 * A request still marked running whose run stopped because its worker died (the run's journal says it hung
 * up): it is interrupted, and stays so; nobody re-runs it silently.
 */
async function reconcile(pool: Pool, run: ServiceRun): Promise<ServiceRun> {
  if (run.status !== 'running' || run.runId === null) return run;
  const r = await pool.query<{ reason: string | null; code: number | null }>(
    `select payload->>'reason' as reason, (payload->>'exitCode')::int as code
       from events where run_id = $1 and type = 'run-finished' order by seq desc limit 1`,
    [run.runId],
  );
  const finished = r.rows[0];
  if (!finished?.reason?.startsWith(HUNG_UP)) return run;
  await pool.query(
    `update service_runs set status = 'interrupted', exit_code = $2, error = $3, ended_at = now()
      where id = $1 and status = 'running'`,
    [run.id, finished.code, WORKER_GONE],
  );
  return { ...run, status: 'interrupted', exitCode: finished.code, error: WORKER_GONE };
}

export async function listServiceRuns(pool: Pool, status?: string): Promise<ServiceRun[]> {
  const r = await pool.query<Row>(
    `select * from service_runs where $1::text is null or status = $1 order by requested_at, id`,
    [status ?? null],
  );
  return r.rows.map(fromRow);
}

/** A worker takes a queued request; false when it was cancelled (or taken) meanwhile. */
export async function claimServiceRun(pool: Pool, id: string, worker: string): Promise<boolean> {
  const r = await pool.query(
    `update service_runs set status = 'running', worker = $2, started_at = now() where id = $1 and status = 'queued'`,
    [id, worker],
  );
  return r.rowCount === 1;
}

export async function setRunId(pool: Pool, id: string, runId: string): Promise<void> {
  await pool.query('update service_runs set run_id = $2 where id = $1', [id, runId]);
}

export async function finishServiceRun(
  pool: Pool,
  id: string,
  status: ServiceRunStatus,
  exitCode: number | null,
  error: string | null,
): Promise<void> {
  await pool.query('update service_runs set status = $2, exit_code = $3, error = $4, ended_at = now() where id = $1', [
    id,
    status,
    exitCode,
    error,
  ]);
}

/** A queued request cancelled before any worker took it; false if it was already running or done. */
export async function cancelQueued(pool: Pool, id: string): Promise<boolean> {
  const r = await pool.query(
    `update service_runs set status = 'cancelled', ended_at = now() where id = $1 and status = 'queued'`,
    [id],
  );
  return r.rowCount === 1;
}
