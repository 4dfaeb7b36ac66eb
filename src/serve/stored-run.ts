import type { Pool } from 'pg';

/** A run's row in the store (its verdict included), or null while it has not reached the store. */
export async function storedRun(pool: Pool, runId: string): Promise<Record<string, unknown> | null> {
  const r = await pool.query('select * from runs where id = $1', [runId]);
  return (r.rows[0] as Record<string, unknown> | undefined) ?? null;
}

/** Events of a run after line `after`, in journal order (seq is the journal line). */
export async function eventsAfter(
  pool: Pool,
  runId: string,
  after: number,
  limit = 500,
): Promise<{ seq: number; type: string; payload: unknown }[]> {
  const r = await pool.query<{ seq: number; type: string; payload: unknown }>(
    'select seq, type, payload from events where run_id = $1 and seq > $2 order by seq limit $3',
    [runId, after, limit],
  );
  return r.rows;
}
