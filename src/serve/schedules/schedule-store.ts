import type { Pool } from 'pg';
import { nextRunAt } from './cron.js';

/** What a schedule runs and when: the fields a person sets. */
export interface ScheduleFields {
  runbook: string;
  incident: string;
  mode: 'simulate' | 'auto';
  environment: string | null;
  vars: Record<string, string>;
  cron: string;
  tz: string;
  enabled: boolean;
}

/** A schedule as the API shows it: its fields, its last firing and the status of that run, its next firing. */
export interface Schedule extends ScheduleFields {
  id: number;
  createdBy: string | null;
  createdAt: string;
  updatedAt: string;
  lastRunAt: string | null;
  lastRequestId: string | null;
  /** The last run's request status (queued … finished, failed), and its verdict once in the store. */
  lastStatus: string | null;
  lastVerdict: string | null;
  lastError: string | null;
  /** Computed from cron and tz; null while disabled. */
  nextRunAt: string | null;
}

/** The table's row: the same fields a person sets, the rest in the store's snake_case. */
interface Row extends ScheduleFields {
  id: string;
  created_by: string | null;
  created_at: Date;
  updated_at: Date;
  last_run_at: Date | null;
  last_request_id: string | null;
  last_error: string | null;
  last_status: string | null;
  last_verdict: string | null;
}

const SELECT = `
  select s.*, r.status as last_status, runs.verdict as last_verdict
    from schedules s
    left join service_runs r on r.id = s.last_request_id
    left join runs on runs.id = r.run_id`;

function fromRow(r: Row, now: Date): Schedule {
  return {
    id: Number(r.id),
    runbook: r.runbook,
    incident: r.incident,
    mode: r.mode,
    environment: r.environment,
    vars: r.vars,
    cron: r.cron,
    tz: r.tz,
    enabled: r.enabled,
    createdBy: r.created_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
    lastRunAt: r.last_run_at?.toISOString() ?? null,
    lastRequestId: r.last_request_id,
    lastStatus: r.last_status,
    lastVerdict: r.last_verdict,
    lastError: r.last_error,
    nextRunAt: r.enabled ? nextRunAt(r.cron, r.tz, now) : null,
  };
}

export async function listSchedules(pool: Pool): Promise<Schedule[]> {
  const now = new Date();
  const r = await pool.query<Row>(`${SELECT} order by s.id`);
  return r.rows.map((row) => fromRow(row, now));
}

/** A schedule by its id; undefined for an unknown one (or an id that is not a number). */
export async function findSchedule(pool: Pool, id: number): Promise<Schedule | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  const r = await pool.query<Row>(`${SELECT} where s.id = $1`, [id]);
  return r.rows[0] ? fromRow(r.rows[0], new Date()) : undefined;
}

export async function insertSchedule(pool: Pool, f: ScheduleFields, createdBy: string): Promise<number> {
  const r = await pool.query<{ id: string }>(
    `insert into schedules (runbook, incident, mode, environment, vars, cron, tz, enabled, created_by)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9) returning id`,
    [f.runbook, f.incident, f.mode, f.environment, f.vars, f.cron, f.tz, f.enabled, createdBy],
  );
  return Number(r.rows[0]?.id);
}

export async function updateSchedule(pool: Pool, id: number, f: ScheduleFields): Promise<void> {
  await pool.query(
    `update schedules set runbook = $2, incident = $3, mode = $4, environment = $5, vars = $6, cron = $7, tz = $8,
            enabled = $9, updated_at = now()
      where id = $1`,
    [id, f.runbook, f.incident, f.mode, f.environment, f.vars, f.cron, f.tz, f.enabled],
  );
}

export async function deleteSchedule(pool: Pool, id: number): Promise<boolean> {
  const r = await pool.query('delete from schedules where id = $1', [id]);
  return r.rowCount === 1;
}

/** A firing: the request it queued, or why it could not queue one. */
export async function recordFiring(
  pool: Pool,
  id: number,
  requestId: string | null,
  error: string | null,
): Promise<void> {
  await pool.query(
    `update schedules set last_run_at = now(), last_request_id = coalesce($2, last_request_id), last_error = $3
      where id = $1`,
    [id, requestId, error],
  );
}
