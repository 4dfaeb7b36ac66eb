import type { Pool } from 'pg';

export type AlertKind = 'failed' | 'breached' | 'overdue';

/** An alert to raise: what it is about, its one-line summary, and the key that makes it once only. */
export interface AlertDraft {
  kind: AlertKind;
  dedupeKey: string;
  summary: string;
  requestId?: string;
  runId?: string | null;
  /** runbook/incident */
  incident?: string;
}

/** One webhook's delivery of an alert, its URL masked. */
export interface AlertDelivery {
  webhook: string;
  ok: boolean;
  attempts: number;
  error?: string;
}

export interface Alert {
  id: number;
  kind: AlertKind;
  requestId: string | null;
  runId: string | null;
  incident: string | null;
  dedupeKey: string;
  summary: string;
  delivered: boolean;
  attempts: number;
  deliveries: AlertDelivery[];
  error: string | null;
  createdAt: string;
}

/** Records an alert unless one with its key exists (another server, an earlier check): its id, else undefined. */
export async function raiseAlert(pool: Pool, a: AlertDraft): Promise<number | undefined> {
  const r = await pool.query<{ id: string }>(
    `insert into alerts (kind, request_id, run_id, incident, dedupe_key, summary)
     values ($1, $2, $3, $4, $5, $6) on conflict (dedupe_key) do nothing returning id`,
    [a.kind, a.requestId ?? null, a.runId ?? null, a.incident ?? null, a.dedupeKey, a.summary],
  );
  return r.rows[0] ? Number(r.rows[0].id) : undefined;
}

export async function recordDeliveries(pool: Pool, id: number, deliveries: AlertDelivery[]): Promise<void> {
  const failed = deliveries.filter((d) => !d.ok);
  await pool.query('update alerts set delivered = $2, attempts = $3, deliveries = $4, error = $5 where id = $1', [
    id,
    deliveries.length > 0 && failed.length === 0,
    deliveries.reduce((n, d) => n + d.attempts, 0),
    JSON.stringify(deliveries),
    failed.length > 0 ? failed.map((d) => `${d.webhook}: ${d.error ?? 'failed'}`).join('; ') : null,
  ]);
}

interface Row {
  id: string;
  kind: AlertKind;
  request_id: string | null;
  run_id: string | null;
  incident: string | null;
  dedupe_key: string;
  summary: string;
  delivered: boolean;
  attempts: number;
  deliveries: AlertDelivery[];
  error: string | null;
  created_at: Date;
}

/** The latest alerts first. */
export async function listAlerts(pool: Pool, limit: number): Promise<Alert[]> {
  const r = await pool.query<Row>('select * from alerts order by created_at desc, id desc limit $1', [limit]);
  return r.rows.map((a) => ({
    id: Number(a.id),
    kind: a.kind,
    requestId: a.request_id,
    runId: a.run_id,
    incident: a.incident,
    dedupeKey: a.dedupe_key,
    summary: a.summary,
    delivered: a.delivered,
    attempts: a.attempts,
    deliveries: a.deliveries,
    error: a.error,
    createdAt: a.created_at.toISOString(),
  }));
}
