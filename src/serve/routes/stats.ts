import type { FastifyInstance } from 'fastify';
import { PERIODS, type Period } from '../../report/history-stats.js';
import type { StoreClient } from '../../store/connect.js';
import { storedStats } from '../../store/store-reads.js';
import type { ServiceContext } from '../context.js';
import { ANY_OBJECT } from './schemas.js';

export function registerStatsRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { period?: Period; incident?: string; runbook?: string; mode?: string; since?: string } }>(
    '/api/stats',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'drillbook history statistics computed by PostgreSQL, per incident and per day, week or month',
        querystring: {
          type: 'object',
          properties: {
            period: { type: 'string', enum: [...PERIODS] },
            incident: { type: 'string', maxLength: 200 },
            runbook: { type: 'string', maxLength: 200 },
            mode: { type: 'string', enum: ['simulate', 'auto', 'interactive'] },
            since: { type: 'string', maxLength: 40 },
          },
          additionalProperties: false,
        },
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      const { period, ...filter } = request.query;
      return { period: period ?? null, stats: await storedStats(ctx.pool as unknown as StoreClient, filter, period) };
    },
  );
}
