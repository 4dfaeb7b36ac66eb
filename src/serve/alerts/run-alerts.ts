import type { Pool } from 'pg';
import { findServiceRun } from '../service-runs.js';
import type { AlertDraft } from './alert-store.js';

interface Ended {
  id: string;
  schedule_id: string;
  runbook: string;
  incident: string;
  mode: string;
  status: string;
  run_id: string | null;
  error: string | null;
}

interface StoredVerdict {
  outcome: string;
  succeeded: boolean;
  verdict: string;
  reason: string | null;
}

/** A verdict that is still a recovery (or its projection) but missed a target is a breach; others failed. */
const RECOVERED = new Set(['recovered', 'simulated']);

/**
 * The alerts due for scheduled runs that ended and were not looked at yet, each judged by its request's status
 * and the store's verdict for it, never judged again here; a run a person cancelled raises nothing. The runs
 * are marked looked-at (markChecked) only after their alerts are recorded: a server that dies in between
 * leaves them for the next check, and the alerts' keys keep them once.
 */
export async function runAlertDrafts(pool: Pool): Promise<{ drafts: AlertDraft[]; checked: string[] }> {
  await noticeDeadWorkers(pool);
  const ended = await pool.query<Ended>(
    `select id, schedule_id, runbook, incident, mode, status, run_id, error from service_runs
      where schedule_id is not null and alert_checked_at is null
        and status in ('finished', 'failed', 'interrupted', 'cancelled')
      order by ended_at limit 200`,
  );
  const drafts: AlertDraft[] = [];
  for (const run of ended.rows) {
    const draft = await judge(pool, run);
    if (draft) drafts.push(draft);
  }
  return { drafts, checked: ended.rows.map((r) => r.id) };
}

export async function markChecked(pool: Pool, ids: string[]): Promise<void> {
  await pool.query('update service_runs set alert_checked_at = now() where id = any($1::uuid[])', [ids]);
}

async function judge(pool: Pool, run: Ended): Promise<AlertDraft | undefined> {
  const what = `Scheduled ${run.mode} run of ${run.runbook}/${run.incident} (schedule ${run.schedule_id})`;
  const base = { dedupeKey: `run:${run.id}`, requestId: run.id, runId: run.run_id, incident: incident(run) };
  if (run.status === 'cancelled') return undefined;
  if (run.status === 'failed') return { ...base, kind: 'failed', summary: `${what} could not run: ${run.error ?? ''}` };
  const stored = run.run_id === null ? undefined : await verdictOf(pool, run.run_id);
  if (run.status === 'interrupted') {
    const why = run.error ?? stored?.reason ?? 'its worker stopped';
    return { ...base, kind: 'failed', summary: `${what} was interrupted: ${why}` };
  }
  if (!stored) return { ...base, kind: 'failed', summary: `${what} finished, but its run is not in the store` };
  if (stored.succeeded) return undefined;
  const kind = RECOVERED.has(stored.outcome) ? 'breached' : 'failed';
  return { ...base, kind, summary: `${what}: ${stored.verdict}${stored.reason ? ` (${stored.reason})` : ''}` };
}

/** The store's one verdict of a run (src/verdict, written by the run's shipper). */
async function verdictOf(pool: Pool, runId: string): Promise<StoredVerdict | undefined> {
  const r = await pool.query<StoredVerdict>('select outcome, succeeded, verdict, reason from runs where id = $1', [
    runId,
  ]);
  return r.rows[0];
}

/** Scheduled runs still marked running whose worker died become interrupted (findServiceRun reconciles them). */
async function noticeDeadWorkers(pool: Pool): Promise<void> {
  const r = await pool.query<{ id: string }>(
    `select id from service_runs where schedule_id is not null and status = 'running' and alert_checked_at is null`,
  );
  for (const { id } of r.rows) await findServiceRun(pool, id);
}

const incident = (run: Ended): string => `${run.runbook}/${run.incident}`;
