import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { UsageError } from '../model/errors.js';
import { useAudit } from './audit.js';
import { useBearerAuth } from './auth.js';
import { HttpError, type ServiceContext } from './context.js';
import { collectOpenApi } from './openapi.js';
import { registerAlertRoutes } from './routes/alerts.js';
import { registerApprovalRoutes } from './routes/approvals.js';
import { registerIncidentRoutes } from './routes/incidents.js';
import { registerRunbookRoutes } from './routes/runbooks.js';
import { registerRunReadRoutes } from './routes/run-reads.js';
import { registerRunRoutes } from './routes/runs.js';
import { registerScheduleRoutes } from './routes/schedules.js';
import { registerReportRoutes } from './routes/reports.js';
import { registerStatsRoutes } from './routes/stats.js';
import { registerTokenRoutes } from './routes/tokens.js';
import { registerTabletopRoutes } from './routes/tabletop.js';
import { registerConsole } from './console/register-console.js';

/** The largest request body taken: a runbook upload (the loader's own caps apply after this one). */
export const BODY_LIMIT = 1024 * 1024;

/** The service's HTTP API: every route with a JSON Schema, bearer auth by role, mutations audited. */
export async function buildApp(ctx: ServiceContext): Promise<FastifyInstance> {
  // No request log: nothing a client sends (its token, its variables) is written anywhere.
  const app = Fastify({ logger: false, bodyLimit: BODY_LIMIT, ajv: { customOptions: { removeAdditional: false } } });
  const openApi = collectOpenApi(app);
  useBearerAuth(app, ctx.pool);
  useAudit(app, ctx.pool);
  app.setErrorHandler((error: FastifyError, _request, reply) => {
    if (error instanceof HttpError)
      return reply.code(error.statusCode).send({ error: error.message, ...error.details });
    if ((error as unknown) instanceof UsageError) return reply.code(400).send({ error: error.message });
    if (error.validation) return reply.code(400).send({ error: `invalid request: ${error.message}` });
    const status = error.statusCode ?? 500;
    if (status < 500) return reply.code(status).send({ error: error.message });
    process.stderr.write(`drillbook serve: internal error: ${error.message}\n`);
    return reply.code(500).send({ error: 'internal error (see the service log)' });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ error: `no route ${request.method} ${request.url.split('?')[0]}` }),
  );
  app.get(
    '/health',
    {
      schema: {
        summary: 'the service is up',
        response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } } },
      },
    },
    () => Promise.resolve({ ok: true }),
  );
  app.get('/openapi.json', { schema: { summary: 'this document' } }, () => Promise.resolve(openApi()));
  registerRunbookRoutes(app, ctx);
  registerIncidentRoutes(app, ctx);
  registerRunRoutes(app, ctx);
  registerRunReadRoutes(app, ctx);
  registerStatsRoutes(app, ctx);
  registerScheduleRoutes(app, ctx);
  registerAlertRoutes(app, ctx);
  registerApprovalRoutes(app, ctx);
  registerTokenRoutes(app, ctx);
  registerReportRoutes(app, ctx);
  registerTabletopRoutes(app, ctx);
  registerConsole(app, ctx);
  await app.ready();
  return app;
}
