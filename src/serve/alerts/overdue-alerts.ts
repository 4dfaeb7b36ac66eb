import type { Pool } from 'pg';
import { incidentKey } from '../../report/build-history.js';
import { cadenceLine } from '../../report/history-check.js';
import type { Runbook } from '../../model/runbook.js';
import { listRunbooks, validated } from '../runbook-registry.js';
import type { AlertDraft } from './alert-store.js';

interface LatestReal {
  runId: string;
  startedAt: string;
  succeeded: boolean;
}

/**
 * Incidents of the registered runbooks overdue for a drill, judged as `drillbook history --check` judges them
 * (cadenceLine) against the store's real runs. Once per incident per overdue period: the period is named by
 * the latest real run it counts from, so a new real run starts a new period.
 */
export async function overdueDrafts(pool: Pool, now = Date.now()): Promise<AlertDraft[]> {
  const latest = await latestRealRuns(pool);
  const drafts: AlertDraft[] = [];
  for (const runbook of await registeredRunbooks(pool)) {
    for (const incident of runbook.incidents) {
      const key = incidentKey(runbook.metadata.name, incident.id);
      const last = latest.get(key) ?? null;
      const line = cadenceLine(key, incident, last, now);
      if (line?.status !== 'OVERDUE') continue;
      drafts.push({
        kind: 'overdue',
        dedupeKey: `overdue:${key}:${last?.runId ?? 'never'}`,
        summary: `${key} (${incident.title}) is overdue for a drill: ${line.text}`,
        incident: key,
        runId: last?.runId ?? null,
      });
    }
  }
  return drafts;
}

async function registeredRunbooks(pool: Pool): Promise<Runbook[]> {
  const runbooks: Runbook[] = [];
  for (const r of await listRunbooks(pool)) {
    try {
      runbooks.push(validated(r.name, r.source));
    } catch {
      // Registered runbooks were valid on the way in; one this drillbook no longer reads has nothing to check.
    }
  }
  return runbooks;
}

/** Each incident's latest real run (auto, interactive): what history --check judges cadences by. */
async function latestRealRuns(pool: Pool): Promise<Map<string, LatestReal>> {
  const r = await pool.query<{ id: string; runbook: string; incident: string; started_at: Date; succeeded: boolean }>(
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
