import type { FastifyInstance } from 'fastify';
import type { JournalEvent } from '../../journal/events.js';
import { durationMs } from '../../model/duration.js';
import { markdownToHtmlPage } from '../../render/html/markdown-html.js';
import { sessionRecord } from '../../render/tabletop/session-record.js';
import { sessionReportMarkdown } from '../../render/tabletop/session-report.js';
import { HttpError, type ServiceContext } from '../context.js';
import { eventsAfter } from '../stored-run.js';
import { clockMs, listSessions, phaseAt, startSession, withSession, type SessionChange } from '../tabletop/sessions.js';
import { ANY_OBJECT, formatQuery, ID_PARAMS } from './schemas.js';

const NAME = { type: 'string', minLength: 1, maxLength: 200 } as const;
const TEXT = { type: 'string', minLength: 1, maxLength: 2000, pattern: '\\S' } as const;
const DURATION = { type: 'string', pattern: '^(?=\\d)(\\d+h)?(\\d+m)?(\\d+s)?$', maxLength: 20 } as const;
const runner = { role: 'runner' } as const;
const viewer = { role: 'viewer' } as const;

const body = (properties: Record<string, unknown>, required: string[]) =>
  ({ type: 'object', properties, required, additionalProperties: false }) as const;

/** What the room records, each a journal event of its own type, stamped with the exercise clock and phase. */
const ITEMS = {
  decisions: { type: 'decision-recorded', schema: body({ text: TEXT }, ['text']) },
  gaps: { type: 'gap-recorded', schema: body({ text: TEXT }, ['text']) },
  actions: { type: 'action-recorded', schema: body({ text: TEXT, owner: NAME, due: NAME }, ['text', 'owner']) },
} as const;

export function registerTabletopRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Body: { runbook: string; incident: string } }>(
    '/api/tabletop/sessions',
    {
      config: runner,
      schema: {
        summary: "start a tabletop session for a registered runbook's incident (seed 004); its clock runs from now",
        body: body({ runbook: NAME, incident: NAME }, ['runbook', 'incident']),
        response: { 201: ANY_OBJECT },
      },
    },
    async (request, reply) => reply.code(201).send(await startSession(ctx, request.body, callerName(request))),
  );
  app.get(
    '/api/tabletop/sessions',
    { config: viewer, schema: { summary: 'tabletop sessions, newest first', response: { 200: ANY_OBJECT } } },
    async () => ({ sessions: await listSessions(ctx) }),
  );
  app.get<{ Params: { id: string } }>(
    '/api/tabletop/sessions/:id',
    {
      config: viewer,
      schema: {
        summary:
          'a session: scenario, agenda with discussion questions, clock, injects delivered so far, what was recorded',
        params: ID_PARAMS,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => withSession(ctx, request.params.id),
  );
  for (const [path, item] of Object.entries(ITEMS)) itemRoute(app, ctx, path, item);
  clockRoute(app, ctx);
  endRoute(app, ctx);
  reportRoute(app, ctx);
}

function itemRoute(
  app: FastifyInstance,
  ctx: ServiceContext,
  path: string,
  item: (typeof ITEMS)[keyof typeof ITEMS],
): void {
  app.post<{ Params: { id: string }; Body: { text: string; owner?: string; due?: string } }>(
    `/api/tabletop/sessions/:id/${path}`,
    {
      config: runner,
      schema: {
        summary: `record ${path === 'actions' ? 'an action item (with its owner)' : `a ${path.slice(0, -1)}`} at the exercise clock`,
        params: ID_PARAMS,
        body: item.schema,
        response: { 201: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const by = callerName(request);
      const { text, owner, due } = request.body;
      const change: SessionChange = (_row, record, clock) =>
        Promise.resolve([
          item.type === 'action-recorded'
            ? {
                type: item.type,
                clockMs: clock,
                phase: phaseAt(record, clock),
                text: text.trim(),
                owner: owner ?? '',
                by,
                ...(due ? { due } : {}),
              }
            : { type: item.type, clockMs: clock, phase: phaseAt(record, clock), text: text.trim(), by },
        ]);
      return reply.code(201).send(await withSession(ctx, request.params.id, change));
    },
  );
}

function clockRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string }; Body: { action: 'pause' | 'resume' | 'advance'; by?: string } }>(
    '/api/tabletop/sessions/:id/clock',
    {
      config: runner,
      schema: {
        summary: 'the exercise clock: pause, resume, or advance it by a duration (injects it passes are delivered)',
        params: ID_PARAMS,
        body: body({ action: { type: 'string', enum: ['pause', 'resume', 'advance'] }, by: DURATION }, ['action']),
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const { action, by } = request.body;
      if (action === 'advance' && (by === undefined || durationMs(by) === 0))
        throw new HttpError(400, 'advancing the clock needs "by": a duration such as "5m" or "90s"');
      const change: SessionChange = async (row) => {
        const sql = {
          pause: 'clock_offset_ms = $2, clock_since = null',
          resume: 'clock_since = coalesce(clock_since, now())',
          advance: 'clock_offset_ms = clock_offset_ms + $2',
        }[action];
        const value = action === 'pause' ? clockMs(row) : action === 'advance' ? durationMs(by ?? '0s') : null;
        await ctx.pool.query(
          `update tabletop_sessions set ${sql} where id = $1`,
          value === null ? [row.id] : [row.id, Math.round(value)],
        );
        return [];
      };
      return withSession(ctx, request.params.id, change);
    },
  );
}

function endRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/tabletop/sessions/:id/end',
    {
      config: runner,
      schema: {
        summary: 'end a session: its clock stops, nothing more is recorded',
        params: ID_PARAMS,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const by = callerName(request);
      const change: SessionChange = async (row) => {
        const clock = clockMs(row);
        await ctx.pool.query(
          'update tabletop_sessions set ended_at = now(), clock_offset_ms = $2, clock_since = null where id = $1',
          [row.id, Math.round(clock)],
        );
        return [{ type: 'session-ended', clockMs: clock, by }];
      };
      return withSession(ctx, request.params.id, change);
    },
  );
}

const REPORT_FORMATS = { markdown: 'text/markdown; charset=utf-8', html: 'text/html; charset=utf-8' } as const;

function reportRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Params: { id: string }; Querystring: { format?: keyof typeof REPORT_FORMATS } }>(
    '/api/tabletop/sessions/:id/report',
    {
      config: viewer,
      schema: {
        summary: "the post-drill report, rebuilt from the session's journal in the store (Markdown or HTML)",
        params: ID_PARAMS,
        querystring: formatQuery(Object.keys(REPORT_FORMATS)),
      },
    },
    async (request, reply) => {
      const events = await eventsAfter(ctx.pool, request.params.id, 0, 1_000_000);
      const record = sessionRecord(events.map((e) => e.payload as JournalEvent));
      if (!record) throw new HttpError(404, `no tabletop session "${request.params.id}" in the store`);
      const markdown = sessionReportMarkdown(record);
      const format = request.query.format ?? 'markdown';
      const title = `DR drill report: tabletop ${record.started.incident.id}`;
      return reply
        .type(REPORT_FORMATS[format])
        .send(format === 'html' ? markdownToHtmlPage(markdown, title) : markdown);
    },
  );
}

function callerName(request: { caller?: { name: string } }): string {
  return request.caller?.name ?? 'unknown';
}
