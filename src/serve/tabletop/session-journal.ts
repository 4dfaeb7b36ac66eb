import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { EventBody, JournalEvent } from '../../journal/events.js';
import { Journal, readJournal } from '../../journal/journal.js';
import { SecretMasker } from '../../model/secret-masker.js';
import { numberedLines } from '../../store/local-journal.js';
import { shipBatch, type RunbookRow } from '../../store/ship.js';
import { HttpError, type ServiceContext } from '../context.js';

/** A session's text is typed by people in a room: the runbook's secrets are not in this process to mask. */
const NO_SECRETS = new SecretMasker([]);

export function sessionDir(ctx: ServiceContext, id: string): string {
  return join(ctx.dataDir, 'tabletop', id);
}

/** The session's journal as it is on disk: the first durable copy of everything the room recorded. */
export function readSessionJournal(ctx: ServiceContext, id: string): JournalEvent[] {
  const file = join(sessionDir(ctx, id), 'journal.jsonl');
  if (!existsSync(file))
    throw new HttpError(409, `session ${id}'s journal is not in this service's data dir (${ctx.dataDir})`);
  return readJournal(file);
}

/**
 * Appends events to the session's journal, each made durable before the next (as a run's journal), then
 * ships every line the store does not have yet with the run's own shipping (shipBatch: keyed by session id
 * and line number, so a line sent twice is stored once, and lines a failed shipment left behind go now).
 * Returns the whole journal.
 */
export async function appendSessionEvents(
  ctx: ServiceContext,
  id: string,
  startedAtMs: number,
  bodies: EventBody[],
  runbook?: RunbookRow,
): Promise<JournalEvent[]> {
  const journal = Journal.open(sessionDir(ctx, id), NO_SECRETS, startedAtMs);
  try {
    for (const body of bodies) journal.append(body, { durable: true });
  } finally {
    journal.close();
  }
  const events = readSessionJournal(ctx, id);
  await shipSession(ctx, id, events, runbook);
  return events;
}

async function shipSession(
  ctx: ServiceContext,
  id: string,
  events: JournalEvent[],
  runbook: RunbookRow | undefined,
): Promise<void> {
  const r = await ctx.pool.query<{ n: number }>('select events_seen as n from tabletop_sessions where id = $1', [id]);
  const seen = r.rows[0]?.n ?? 0;
  const lines = numberedLines(events).filter((l) => l.seq > seen);
  if (lines.length === 0 && !runbook) return;
  const client = await ctx.pool.connect();
  try {
    await shipBatch(client, { runId: id, events: lines, ...(runbook ? { runbook } : {}) });
  } finally {
    client.release();
  }
  await ctx.pool.query('update tabletop_sessions set events_seen = greatest(events_seen, $2) where id = $1', [
    id,
    events.length,
  ]);
}

const queues = new Map<string, Promise<unknown>>();

/**
 * One operation on a session at a time in this service: each reads the journal, appends what is due and
 * ships it, so two requests at once (the room's poll and a decision) never deliver an inject twice.
 */
export function oneAtATime<T>(id: string, operation: () => Promise<T>): Promise<T> {
  const before = queues.get(id) ?? Promise.resolve();
  const mine = before.then(operation, operation);
  const tail = mine.catch(() => {});
  queues.set(id, tail);
  void tail.then(() => {
    if (queues.get(id) === tail) queues.delete(id);
  });
  return mine;
}
