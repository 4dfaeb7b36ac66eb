import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../context.js';
import { listRunbooks, registerRunbook } from '../runbook-registry.js';
import { ANY_OBJECT } from './schemas.js';

const REGISTER_BODY = {
  oneOf: [
    {
      type: 'object',
      properties: { path: { type: 'string', minLength: 1, maxLength: 4096 } },
      required: ['path'],
      additionalProperties: false,
    },
    {
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1, maxLength: 200, pattern: '^[^/\\\\\\0]+$' },
        text: { type: 'string', minLength: 1 },
      },
      required: ['name', 'text'],
      additionalProperties: false,
    },
  ],
} as const;

export function registerRunbookRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  app.get(
    '/api/runbooks',
    { config: { role: 'viewer' }, schema: { summary: 'the registered runbooks', response: { 200: ANY_OBJECT } } },
    async () => ({
      runbooks: (await listRunbooks(ctx.pool)).map(({ source: _source, ...rest }) => rest),
    }),
  );
  app.post<{ Body: { path: string } | { name: string; text: string } }>(
    '/api/runbooks',
    {
      config: { role: 'admin' },
      schema: {
        summary:
          'register a runbook by its path on the server, or upload {name, text}; validated as drillbook validate does (422 with located problems)',
        body: REGISTER_BODY,
        response: { 201: ANY_OBJECT },
      },
    },
    async (request, reply) => {
      const registered = await registerRunbook(ctx.pool, request.body, request.caller?.name ?? null);
      return reply.code(201).send(registered);
    },
  );
}
