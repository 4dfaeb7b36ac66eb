import { messageOf } from '../model/error-message.js';
import type { FastifyInstance } from 'fastify';
import type { Pool } from 'pg';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every mutating call, answered or refused, goes to the `audit` table: the caller's token name and role (never
 * the token), the method and route, the target (the :id of the route), the status, when. Bodies are not kept:
 * they may carry variables.
 */
export function useAudit(app: FastifyInstance, pool: Pool): void {
  app.addHook('onResponse', async (request, reply) => {
    if (READS.has(request.method)) return;
    const params = request.params as Record<string, unknown> | undefined;
    const target = typeof params?.id === 'string' ? params.id : null;
    await pool
      .query('insert into audit (token_name, role, method, route, target, status) values ($1, $2, $3, $4, $5, $6)', [
        request.caller?.name ?? null,
        request.caller?.role ?? null,
        request.method,
        request.routeOptions.url ?? request.url.split('?')[0],
        target,
        reply.statusCode,
      ])
      .catch((error: unknown) => {
        process.stderr.write(`drillbook serve: audit not written: ${messageOf(error)}\n`);
      });
  });
}
