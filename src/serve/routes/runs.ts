import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { StoreClient } from '../../store/connect.js';
import { listStoredRuns, type RunsFilter } from '../../store/store-reads.js';
import { HttpError, type ServiceContext } from '../context.js';
import { RUN_QUEUE } from '../queue.js';
import { queueRun } from '../queue-run.js';
import { CANCEL_CHANNEL, cancelQueued, findServiceRun, listServiceRuns, type RunRequest } from '../service-runs.js';
import { storedRun } from '../stored-run.js';
import { approvalsOfRun } from '../../store/approval-rows.js';
import { ANY_OBJECT, ID_PARAMS, MODES, NAME, RUN_VARS } from './schemas.js';

const START_BODY = {
  type: 'object',
  properties: {
    runbook: NAME,
    incident: NAME,
    mode: { type: 'string', enum: MODES },
    environment: NAME,
    vars: RUN_VARS,
  },
  required: ['runbook', 'incident', 'mode'],
  additionalProperties: false,
} as const;

const LIST_QUERY = {
  type: 'object',
  properties: {
    incident: NAME,
    runbook: NAME,
    mode: { type: 'string', enum: ['simulate', 'auto', 'interactive'] },
    outcome: NAME,
    since: { type: 'string', maxLength: 40 },
    operator: NAME,
  },
  additionalProperties: false,
} as const;

export function registerRunRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  startRunRoute(app, ctx);
  cancelRunRoute(app, ctx);
  listRunsRoute(app, ctx);
  runRoute(app, ctx);
}

function startRunRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Body: Omit<RunRequest, 'id' | 'requestedBy'> }>(
    '/api/runs',
    {
      config: { role: 'runner' },
      bodyLimit: 64 * 1024,
      schema: {
        summary: 'queue a run of a registered runbook incident (simulate or auto); a worker runs drillbook run',
        body: START_BODY,
        response: { 202: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const req: RunRequest = { id: randomUUID(), ...request.body, requestedBy: request.caller?.name ?? 'unknown' };
      await queueRun(ctx, req);
      return reply.code(202).send({ id: req.id, status: 'queued' });
    },
  );
}

function cancelRunRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string } }>(
    '/api/runs/:id/cancel',
    {
      config: { role: 'runner' },
      schema: {
        summary: 'cancel a queued or running run (SIGINT to its drillbook run)',
        params: ID_PARAMS,
        response: { 202: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const run = await findServiceRun(ctx.pool, request.params.id);
      if (!run) throw new HttpError(404, `no run "${request.params.id}" queued through the service`);
      if (run.status === 'queued' && (await cancelQueued(ctx.pool, run.id))) {
        await ctx.boss.cancel(RUN_QUEUE, run.id).catch(() => {});
        return reply.code(202).send({ id: run.id, status: 'cancelled' });
      }
      const now = await findServiceRun(ctx.pool, run.id);
      if (now?.status !== 'running')
        throw new HttpError(409, `run ${run.id} is ${now?.status ?? 'gone'}: nothing to cancel`);
      await ctx.pool.query('select pg_notify($1, $2)', [CANCEL_CHANNEL, run.id]);
      return reply.code(202).send({ id: run.id, status: 'cancelling' });
    },
  );
}

function listRunsRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: RunsFilter }>(
    '/api/runs',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'runs in the store with drillbook runs filters, and the requests still queued or running',
        querystring: LIST_QUERY,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => ({
      runs: await listStoredRuns(ctx.pool as unknown as StoreClient, request.query),
      pending: [...(await listServiceRuns(ctx.pool, 'queued')), ...(await listServiceRuns(ctx.pool, 'running'))],
    }),
  );
}

function runRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Params: { id: string } }>(
    '/api/runs/:id',
    {
      config: { role: 'viewer' },
      schema: {
        summary: "a run: the service's request, the store's row and verdict, its approvals",
        params: ID_PARAMS,
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const service = await findServiceRun(ctx.pool, request.params.id);
      const runId = service?.runId ?? (service ? null : request.params.id);
      const run = runId === null ? null : await storedRun(ctx.pool, runId);
      if (!service && !run) throw new HttpError(404, `no run "${request.params.id}"`);
      const approvals = runId === null ? [] : await approvalsOfRun(ctx.pool as unknown as StoreClient, runId);
      return { request: service ?? null, run, approvals };
    },
  );
}
