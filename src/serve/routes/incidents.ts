import type { FastifyInstance } from 'fastify';
import { incidentSummaries } from '../../model/incident-summary.js';
import type { ServiceContext } from '../context.js';
import { listRunbooks, validated } from '../runbook-registry.js';
import { ANY_OBJECT } from './schemas.js';

export function registerIncidentRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { runbook?: string } }>(
    '/api/incidents',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "every incident of the registered runbooks (seed 002's scenarios)",
        querystring: {
          type: 'object',
          properties: { runbook: { type: 'string', maxLength: 200 } },
          additionalProperties: false,
        },
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const runbooks = (await listRunbooks(ctx.pool)).filter(
        (r) => request.query.runbook === undefined || r.name === request.query.runbook,
      );
      return {
        incidents: runbooks.flatMap((r) =>
          incidentSummaries(validated(r.name, r.source)).map((inc) => ({ runbook: r.name, ...inc })),
        ),
      };
    },
  );
}
