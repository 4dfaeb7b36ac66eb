import type { FastifyInstance } from 'fastify';
import { buildBoard } from '../board.js';
import type { ServiceContext } from '../context.js';
import { runPlan } from '../run-plan.js';
import { ANY_OBJECT, ID_PARAMS } from './schemas.js';

/** The reads the web console needs beyond the run routes: who is signed in, the drill board, a run's plan. */
export function registerConsoleReadRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const viewer = { role: 'viewer' } as const;
  app.get(
    '/api/me',
    {
      config: viewer,
      schema: {
        summary: "the bearer token's name and role (never the token)",
        response: {
          200: {
            type: 'object',
            properties: { name: { type: 'string' }, role: { type: 'string' } },
            required: ['name', 'role'],
          },
        },
      },
    },
    (request) => Promise.resolve({ name: request.caller?.name ?? '', role: request.caller?.role ?? '' }),
  );
  app.get(
    '/api/board',
    {
      config: viewer,
      schema: {
        summary:
          "every incident of every registered runbook: drillbook history's figures over the store's runs, history --check's verdict (failed, overdue by cadence; a drill in progress is not judged, it is running)",
        response: { 200: ANY_OBJECT },
      },
    },
    async () => ({ generatedAt: new Date().toISOString(), incidents: await buildBoard(ctx.pool) }),
  );
  app.get<{ Params: { id: string } }>(
    '/api/runs/:id/plan',
    {
      config: viewer,
      schema: {
        summary: 'the plan a run walks (drillbook plan --json), from the runbook text and environment it used',
        params: ID_PARAMS,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => runPlan(ctx.pool, request.params.id),
  );
}
