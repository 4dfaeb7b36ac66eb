import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { HttpError } from './context.js';
import { callerOf, roleAtLeast, type Caller, type Role } from './tokens.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
  }
  interface FastifyContextConfig {
    /** The least role a route needs; a route without one is public (health, the OpenAPI document). */
    role?: Role;
  }
}

/**
 * Bearer tokens on every route that names a role: 401 without a token or with an unknown one, 403 when the
 * token's role is below the route's. The token is only hashed and looked up; it is never kept or logged.
 */
export function useBearerAuth(app: FastifyInstance, pool: Pool): void {
  app.addHook('onRequest', async (request: FastifyRequest) => {
    const need = request.routeOptions.config.role;
    if (need === undefined) return;
    const header = request.headers.authorization ?? '';
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    if (!match?.[1]) throw new HttpError(401, 'a bearer token is required: Authorization: Bearer TOKEN');
    const caller = await callerOf(pool, match[1]);
    if (!caller) throw new HttpError(401, 'the bearer token is not known (or was revoked)');
    request.caller = caller;
    if (!roleAtLeast(caller.role, need))
      throw new HttpError(403, `this needs the ${need} role; token "${caller.name}" has ${caller.role}`);
  });
}
