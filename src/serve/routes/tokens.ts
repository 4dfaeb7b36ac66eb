import type { FastifyInstance } from 'fastify';
import type { StoreClient } from '../../store/connect.js';
import { HttpError, type ServiceContext } from '../context.js';
import { listTokens, revokeToken, RevokeRefused } from '../tokens.js';
import { ANY_OBJECT } from './schemas.js';

const REFUSED_STATUS = { unknown: 404, ambiguous: 409, revoked: 409 } as const;

/** Tokens for admins: the list (never a hash) and revocation by id; `drillbook token list|revoke` do the same. */
export function registerTokenRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  const client = ctx.pool as unknown as StoreClient;
  app.get(
    '/api/tokens',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'the API tokens: id, name, role, created, revoked (never a hash)',
        response: { 200: ANY_OBJECT },
      },
    },
    async () => ({ tokens: await listTokens(client) }),
  );
  app.delete<{ Params: { id: string } }>(
    '/api/tokens/:id',
    {
      config: { role: 'admin' },
      schema: {
        summary: 'revoke a token by its id: its next request gets 401',
        params: {
          type: 'object',
          properties: { id: { type: 'string', pattern: '^[0-9]{1,18}$' } },
          required: ['id'],
          additionalProperties: false,
        },
        response: { 200: ANY_OBJECT },
      },
    },
    async (request) => {
      try {
        return { token: await revokeToken(client, request.params.id) };
      } catch (error) {
        if (error instanceof RevokeRefused) throw new HttpError(REFUSED_STATUS[error.reason], error.message);
        throw error;
      }
    },
  );
}
