import { randomUUID } from 'node:crypto';
import type { EventBody, JournalEvent } from '../../journal/events.js';
import { sessionRecord, blockAt, type SessionRecord } from '../../render/tabletop/session-record.js';
import { tabletopPlan } from '../../render/tabletop/session-plan.js';
import type { Incident, Runbook } from '../../model/runbook.js';
import { HttpError, type ServiceContext } from '../context.js';
import { validated } from '../runbook-registry.js';
import { appendSessionEvents, oneAtATime, readSessionJournal } from './session-journal.js';
import { sessionView, type SessionView } from './session-view.js';

/** A session's row: its live state. What happened is in its journal. */
export interface SessionRow {
  id: string;
  runbook: string;
  incident: string;
  facilitator: string;
  started_at: Date;
  ended_at: Date | null;
  clock_offset_ms: string;
  clock_since: Date | null;
}

/** The exercise clock: what it read when last set, plus the time since, while it runs. */
export function clockMs(row: SessionRow, now = Date.now()): number {
  return Number(row.clock_offset_ms) + (row.clock_since ? Math.max(0, now - row.clock_since.getTime()) : 0);
}

/** Starts a session of a registered runbook's incident; its clock runs from now. */
export async function startSession(
  ctx: ServiceContext,
  input: { runbook: string; incident: string },
  by: string,
): Promise<SessionView> {
  const { registered, runbook, incident } = await registeredIncident(ctx, input);
  const id = randomUUID();
  const row = await ctx.pool.query<SessionRow>(
    `insert into tabletop_sessions (id, runbook, runbook_sha256, incident, facilitator, clock_since)
     values ($1, $2, $3, $4, $5, now()) returning *`,
    [id, input.runbook, registered.sha256, incident.id, by],
  );
  const session = row.rows[0] as SessionRow;
  const { name, version } = runbook.metadata;
  const started: EventBody = {
    type: 'session-started',
    sessionId: id,
    mode: 'tabletop',
    runbook: { name, version, sha256: registered.sha256 },
    incident: {
      id: incident.id,
      title: incident.title,
      severity: incident.severity,
      rto: incident.rto,
      rpo: incident.rpo ?? runbook.objectives.rpo,
    },
    facilitator: by,
    plan: tabletopPlan(incident),
  };
  // The runbook's text goes to the store's runbooks table as a run's does: the sha256 in the journal finds it.
  const runbookRow = {
    sha256: registered.sha256,
    name,
    version,
    file: registered.path ?? name,
    source: registered.source,
  };
  try {
    const events = await oneAtATime(id, () =>
      appendSessionEvents(ctx, id, session.started_at.getTime(), [started], runbookRow),
    );
    return sessionView(session, recordOf(id, events), clockMs(session));
  } catch (error) {
    // A session whose journal could not be started does not exist.
    await ctx.pool.query('delete from tabletop_sessions where id = $1', [id]).catch(() => {});
    throw error;
  }
}

/** The registered runbook and its incident, or 404 / 422 as for a run. */
async function registeredIncident(
  ctx: ServiceContext,
  input: { runbook: string; incident: string },
): Promise<{
  registered: { source: string; sha256: string; path: string | null };
  runbook: Runbook;
  incident: Incident;
}> {
  const r = await ctx.pool.query<{ source: string; sha256: string; path: string | null }>(
    'select source, sha256, path from service_runbooks where name = $1',
    [input.runbook],
  );
  const registered = r.rows[0];
  if (!registered) throw new HttpError(404, `no runbook "${input.runbook}" is registered (POST /api/runbooks)`);
  const runbook = validated(input.runbook, registered.source);
  const incident = runbook.incidents.find((i) => i.id === input.incident);
  if (!incident)
    throw new HttpError(
      422,
      `runbook "${input.runbook}" has no incident "${input.incident}"; it has ${runbook.incidents.map((i) => i.id).join(', ')}`,
    );
  return { registered, runbook, incident };
}

/** What a caller may do to a session: read it, or change it (which an ended session refuses). */
export type SessionChange = (row: SessionRow, record: SessionRecord, clock: number) => Promise<EventBody[]>;

/**
 * Runs one operation on a session: the injects the clock has passed are delivered first (recorded in the
 * journal as they reach the room), then what the change appends. Reading a session delivers them too, so
 * the room's poll is what makes an inject appear on time.
 */
export async function withSession(ctx: ServiceContext, id: string, change?: SessionChange): Promise<SessionView> {
  return oneAtATime(id, async () => {
    let row = await loadRow(ctx, id);
    let record = recordOf(id, readSessionJournal(ctx, id));
    if (change && row.ended_at) throw new HttpError(409, `session ${id} has ended`);
    const bodies: EventBody[] = row.ended_at ? [] : dueInjects(record, clockMs(row));
    if (change) {
      bodies.push(...(await change(row, record, clockMs(row))));
      row = await loadRow(ctx, id);
      // What the clock passed by this change (an advance) is delivered too, after what was due before it.
      const listed = new Set(bodies.map((b) => (b.type === 'inject-delivered' ? b.n : 0)));
      if (!row.ended_at) bodies.push(...dueInjects(record, clockMs(row)).filter((b) => !listed.has(b.n)));
    }
    if (bodies.length > 0) record = recordOf(id, await appendSessionEvents(ctx, id, row.started_at.getTime(), bodies));
    return sessionView(row, record, clockMs(row));
  });
}

/** The injects whose offset the clock has passed and that were not delivered yet, in plan order. */
function dueInjects(record: SessionRecord, clock: number): Extract<EventBody, { type: 'inject-delivered' }>[] {
  const delivered = new Set(record.injects.map((e) => e.n));
  return record.started.plan.injects
    .filter((inj) => inj.atMs <= clock && !delivered.has(inj.n))
    .map((inj) => ({
      type: 'inject-delivered' as const,
      n: inj.n,
      atMs: inj.atMs,
      clockMs: clock,
      phase: inj.phase,
      text: inj.text,
    }));
}

/** The phase the room is in at `clock` (null in the briefing and the review): what a recorded item belongs to. */
export function phaseAt(record: SessionRecord, clock: number): string | null {
  return blockAt(record.started.plan, clock)?.phase ?? null;
}

async function loadRow(ctx: ServiceContext, id: string): Promise<SessionRow> {
  const r = await ctx.pool.query<SessionRow>('select * from tabletop_sessions where id = $1', [id]);
  const row = r.rows[0];
  if (!row) throw new HttpError(404, `no tabletop session "${id}"`);
  return row;
}

function recordOf(id: string, events: JournalEvent[]): SessionRecord {
  const record = sessionRecord(events);
  if (!record) throw new HttpError(409, `session ${id}'s journal has no session-started event`);
  return record;
}

export async function listSessions(ctx: ServiceContext): Promise<Record<string, unknown>[]> {
  const r = await ctx.pool.query(
    `select id, runbook, incident, facilitator, started_at as "startedAt", ended_at as "endedAt"
       from tabletop_sessions order by started_at desc limit 200`,
  );
  return r.rows as Record<string, unknown>[];
}
