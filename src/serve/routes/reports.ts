import type { FastifyInstance } from 'fastify';
import { periodHtml, periodMarkdown } from '../../report/period-markdown.js';
import { REPORT_PERIODS, type PeriodReport, type ReportPeriod } from '../../report/period-report.js';
import type { StoreClient } from '../../store/connect.js';
import { storedPeriodReport } from '../../store/period-reads.js';
import type { ServiceContext } from '../context.js';
import { listRunbooks, validated } from '../runbook-registry.js';

const FORMATS = {
  json: { type: 'application/json; charset=utf-8', render: (r: PeriodReport) => `${JSON.stringify(r, null, 2)}\n` },
  markdown: { type: 'text/markdown; charset=utf-8', render: periodMarkdown },
  html: { type: 'text/html; charset=utf-8', render: periodHtml },
} as const;

/** The weekly or monthly report over the store's runs; drill cadences from the registered runbooks. */
export function registerReportRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { period: ReportPeriod; since?: string; format?: keyof typeof FORMATS } }>(
    '/api/reports',
    {
      config: { role: 'viewer' },
      schema: {
        summary:
          "a weekly or monthly report: drillbook history's figures per incident, breaches, overdue drills and recommendations",
        querystring: {
          type: 'object',
          properties: {
            period: { type: 'string', enum: REPORT_PERIODS },
            since: { type: 'string', maxLength: 40 },
            format: { type: 'string', enum: Object.keys(FORMATS) },
          },
          required: ['period'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      const runbooks = (await listRunbooks(ctx.pool)).map((r) => validated(r.name, r.source));
      const client = ctx.pool as unknown as StoreClient;
      const report = await storedPeriodReport(client, request.query.period, request.query.since, runbooks);
      const format = FORMATS[request.query.format ?? 'json'];
      return reply.type(format.type).send(format.render(report));
    },
  );
}
