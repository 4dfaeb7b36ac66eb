import { messageOf } from '../../model/error-message.js';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Pool } from 'pg';
import { buildReport, type Report } from '../../report/build-report.js';
import { EnvironmentError } from '../../model/errors.js';
import { reportHtml } from '../../report/report-html.js';
import { reportMarkdown } from '../../report/report-markdown.js';
import { HttpError, type ServiceContext } from '../context.js';
import { findServiceRun } from '../service-runs.js';
import { eventsAfter } from '../stored-run.js';
import { streamEvents } from '../event-stream.js';
import { RunFeeds } from '../run-feed.js';
import { ANY_OBJECT, formatQuery, ID_PARAMS } from './schemas.js';

/** `pdf` is printed by headless Chromium (report-pdf.ts), loaded only when asked for. */
const FORMATS = ['markdown', 'html', 'json', 'pdf'] as const;

const REPORT_FORMATS = {
  markdown: { type: 'text/markdown; charset=utf-8', render: reportMarkdown },
  html: { type: 'text/html; charset=utf-8', render: reportHtml },
  json: { type: 'application/json; charset=utf-8', render: (r: unknown) => `${JSON.stringify(r, null, 2)}\n` },
} as const;

/** The store's run id behind an id the API was given (a request id or a run id); 404/409 otherwise. */
export async function storeRunId(pool: Pool, id: string): Promise<string> {
  const service = await findServiceRun(pool, id);
  if (service && service.runId === null)
    throw new HttpError(409, `run ${service.id} is ${service.status} and has no journal yet`);
  const runId = service?.runId ?? id;
  const r = await pool.query('select 1 from runs where id = $1', [runId]);
  if (r.rowCount === 0 && !service) throw new HttpError(404, `no run "${id}" in the store`);
  return runId;
}

export function registerRunReadRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  stepsRoute(app, ctx);
  metricsRoute(app, ctx);
  eventsRoute(app, ctx);
  reportRoute(app, ctx);
}

function stepsRoute(app: FastifyInstance, ctx: ServiceContext): void {
  const viewer = { role: 'viewer' } as const;
  app.get<{ Params: { id: string } }>(
    '/api/runs/:id/steps',
    { config: viewer, schema: { summary: "a run's step results", params: ID_PARAMS, response: { 200: ANY_OBJECT } } },
    async (request) => {
      const runId = await storeRunId(ctx.pool, request.params.id);
      const r = await ctx.pool.query(
        `select step, title, kind, section, phase, status, started_at, duration_ms, exit_code, error
           from step_results where run_id = $1 order by seq`,
        [runId],
      );
      return { runId, steps: r.rows };
    },
  );
}

function metricsRoute(app: FastifyInstance, ctx: ServiceContext): void {
  const viewer = { role: 'viewer' } as const;
  app.get<{ Params: { id: string } }>(
    '/api/runs/:id/metrics',
    {
      config: viewer,
      schema: { summary: "a run's recorded metrics", params: ID_PARAMS, response: { 200: ANY_OBJECT } },
    },
    async (request) => {
      const runId = await storeRunId(ctx.pool, request.params.id);
      const r = await ctx.pool.query(
        'select step, name, value, recorded_by, at from metrics where run_id = $1 order by seq',
        [runId],
      );
      return { runId, metrics: r.rows };
    },
  );
}

function eventsRoute(app: FastifyInstance, ctx: ServiceContext): void {
  const viewer = { role: 'viewer' } as const;
  // Every SSE reader of a run shares one poll of the store.
  const feeds = new RunFeeds(ctx.pool);
  app.get<{ Params: { id: string }; Querystring: { after?: number } }>(
    '/api/runs/:id/events',
    {
      config: viewer,
      schema: {
        summary:
          "a run's journal events from the store (seq = journal line); with Accept: text/event-stream a live SSE stream, resumable with Last-Event-ID",
        params: ID_PARAMS,
        querystring: {
          type: 'object',
          properties: { after: { type: 'integer', minimum: 0 } },
          additionalProperties: false,
        },
        response: { 200: ANY_OBJECT },
      },
    },
    async (request, reply: FastifyReply) => {
      if ((request.headers.accept ?? '').includes('text/event-stream'))
        return streamEvents(ctx, feeds, request, reply, request.params.id);
      const runId = await storeRunId(ctx.pool, request.params.id);
      return { runId, events: await eventsAfter(ctx.pool, runId, request.query.after ?? 0, 100_000) };
    },
  );
}

function reportRoute(app: FastifyInstance, ctx: ServiceContext): void {
  const viewer = { role: 'viewer' } as const;
  app.get<{ Params: { id: string }; Querystring: { format?: (typeof FORMATS)[number] } }>(
    '/api/runs/:id/report',
    {
      config: viewer,
      schema: {
        summary: "a run's report rebuilt from its stored events by drillbook report's renderers",
        params: ID_PARAMS,
        querystring: formatQuery([...FORMATS]),
      },
    },
    async (request, reply) => {
      const runId = await storeRunId(ctx.pool, request.params.id);
      const events = await eventsAfter(ctx.pool, runId, 0, 1_000_000);
      if (events.length === 0) throw new HttpError(409, `run ${runId} has no events in the store yet`);
      let report;
      try {
        report = buildReport(events.map((e) => e.payload) as Parameters<typeof buildReport>[0]);
      } catch (error) {
        throw new HttpError(409, `run ${runId}: ${messageOf(error)}`);
      }
      if (request.query.format === 'pdf') return reply.type('application/pdf').send(await pdfOf(report));
      const format = REPORT_FORMATS[request.query.format ?? 'markdown'];
      return reply.type(format.type).send(format.render(report));
    },
  );
}

/** The report as a PDF; 503 when this host has no Chromium to print it (the error says what to install). */
async function pdfOf(report: Report): Promise<Buffer> {
  const { reportPdf } = await import('../../report/report-pdf.js');
  try {
    return Buffer.from(await reportPdf(report));
  } catch (error) {
    if (error instanceof EnvironmentError) throw new HttpError(503, error.message);
    throw error;
  }
}
