import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { countLines, readJournal } from '../journal/journal.js';
import type { JournalEvent } from '../journal/events.js';
import { listRunIds, runsDir } from '../journal/run-store.js';
import { messageOf } from '../model/error-message.js';
import type { StoreClient } from './connect.js';
import { numberedLines, runbookRowOf } from './local-journal.js';
import { runRowOf } from './run-row.js';
import { shipBatch } from './ship.js';

/** Events per INSERT when catching up: one journal of a 10,000-step run goes in a few statements. */
const SYNC_BATCH = 1000;

export interface SyncResult {
  /** Local runs looked at. */
  runs: number;
  /** Runs that were already whole in the store. */
  upToDate: number;
  shipped: { runId: string; events: number }[];
  failed: { runId: string; reason: string }[];
}

/**
 * Ships every local journal the store does not hold whole: a run whose stored events or verdict row count
 * fewer events than its journal is sent again, all of it, and the store keeps each (run, line) once.
 * `stop()` is asked between runs, so a run's background catch-up ends when the run does.
 */
export async function syncRuns(client: StoreClient, stop: () => boolean = () => false): Promise<SyncResult> {
  const ids = listRunIds();
  const stored = await storedCounts(client, ids);
  const result: SyncResult = { runs: ids.length, upToDate: 0, shipped: [], failed: [] };
  for (const runId of ids) {
    if (stop()) break;
    try {
      const file = join(runsDir(), runId, 'journal.jsonl');
      // Counting lines is cheap; parsing every journal at every run's start would not be.
      const lines = countLines(readFileSync(file));
      const have = stored.get(runId);
      if (lines === 0) continue;
      if (have && have.events === lines && have.seen === lines) {
        result.upToDate += 1;
        continue;
      }
      await shipRun(client, runId, readJournal(file));
      result.shipped.push({ runId, events: lines - (have?.events ?? 0) });
    } catch (error) {
      if (isConnectionLoss(error)) throw error;
      result.failed.push({ runId, reason: messageOf(error) });
    }
  }
  return result;
}

async function shipRun(client: StoreClient, runId: string, all: JournalEvent[]): Promise<void> {
  const events = numberedLines(all);
  const runbook = runbookRowOf(all);
  const row = runRowOf(all);
  for (let i = 0; i < events.length; i += SYNC_BATCH) {
    const last = i + SYNC_BATCH >= events.length;
    await shipBatch(client, {
      runId,
      events: events.slice(i, i + SYNC_BATCH),
      ...(i === 0 && runbook ? { runbook } : {}),
      ...(last ? { row } : {}),
    });
  }
}

async function storedCounts(
  client: StoreClient,
  ids: string[],
): Promise<Map<string, { events: number; seen: number }>> {
  const r = await client.query<{ id: string; events: number; seen: number }>(
    `select r.id, coalesce(e.n, 0)::int as events, r.events_seen as seen
       from runs r left join (select run_id, count(*) as n from events where run_id = any($1) group by run_id) e
         on e.run_id = r.id
      where r.id = any($1)`,
    [ids],
  );
  return new Map(r.rows.map((row) => [row.id, { events: row.events, seen: row.seen }]));
}

/** A lost server ends the sync (the caller says so once); a bad journal is that run's problem only. */
function isConnectionLoss(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return (
    (typeof code === 'string' &&
      (code.startsWith('08') || code.startsWith('57P') || code.startsWith('E') || code === '53300')) ||
    /Connection terminated|not queryable|Client has encountered a connection error/i.test(messageOf(error))
  );
}
