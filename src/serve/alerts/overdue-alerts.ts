import type { Pool } from 'pg';
import { incidentKey } from '../../report/build-history.js';
import { drillCadences, overdueText } from '../../report/history-check.js';
import type { Runbook } from '../../model/runbook.js';
import { listRunbooks, validated } from '../runbook-registry.js';
import { latestRealRuns } from '../../store/latest-real-runs.js';
import type { AlertDraft } from './alert-store.js';

/**
 * Incidents of the registered runbooks overdue for a drill, judged as `drillbook history --check` judges them
 * (drillCadences) against the store's real runs. Once per incident per overdue period: the period is named by
 * the latest real run it counts from, so a new real run starts a new period.
 */
export async function overdueDrafts(pool: Pool, now = Date.now()): Promise<AlertDraft[]> {
  const latest = await latestRealRuns(pool);
  const runbooks = await registeredRunbooks(pool);
  const titles = new Map(
    runbooks.flatMap((rb) => rb.incidents.map((i) => [incidentKey(rb.metadata.name, i.id), i.title] as const)),
  );
  const drafts: AlertDraft[] = [];
  for (const d of drillCadences(runbooks, (key) => latest.get(key)?.startedAt, undefined, now)) {
    if (!d.overdue) continue;
    const last = latest.get(d.key) ?? null;
    drafts.push({
      kind: 'overdue',
      dedupeKey: `overdue:${d.key}:${last?.runId ?? 'never'}`,
      summary: `${d.key} (${titles.get(d.key) ?? d.incident}) is overdue for a drill: ${overdueText(d)}`,
      incident: d.key,
      runId: last?.runId ?? null,
    });
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
