import type { FastifyInstance } from 'fastify';
import { HttpError, type ServiceContext } from '../context.js';
import { listAlerts } from '../alerts/alert-store.js';
import { ANY_OBJECT } from './schemas.js';

const LIST_QUERY = {
  type: 'object',
  properties: { limit: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
  additionalProperties: false,
} as const;

export function registerAlertRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { limit: number } }>(
    '/api/alerts',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'alerts raised (failed or breached scheduled runs, overdue drills), latest first, with deliveries',
        querystring: LIST_QUERY,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => ({
      webhooks: ctx.alerts?.maskedWebhooks() ?? [],
      alerts: await listAlerts(ctx.pool, request.query.limit),
    }),
  );
  app.post(
    '/api/alerts/check',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'run the alert checks now (ended scheduled runs, overdue drills)',
        response: { 200: ANY_OBJECT },
      },
    },
    async () => {
      if (!ctx.alerts) throw new HttpError(503, 'alerts are not checked by this process');
      return ctx.alerts.check();
    },
  );
}
