import type { Pool } from 'pg';
import { incidentKey } from '../report/build-history.js';
import type { StoreClient } from './connect.js';

/** An incident's latest real (not simulated) run in the store: what drill cadences are judged by. */
export interface LatestRealRun {
  runId: string;
  startedAt: string;
  succeeded: boolean;
}

/**
 * Each runbook/incident key's latest real run, over all time. The period report's overdue drills and the
 * service's overdue alerts both read it, so they cannot disagree on when an incident was last drilled.
 */
export async function latestRealRuns(db: StoreClient | Pool): Promise<Map<string, LatestRealRun>> {
  const r = await db.query<{ id: string; runbook: string; incident: string; started_at: Date; succeeded: boolean }>(
    `select distinct on (runbook, incident) id, runbook, incident, started_at, succeeded
       from runs where not simulated order by runbook, incident, started_at desc`,
  );
  return new Map(
    r.rows.map((row) => [
      incidentKey(row.runbook, row.incident),
      { runId: row.id, startedAt: row.started_at.toISOString(), succeeded: row.succeeded },
    ]),
  );
}
