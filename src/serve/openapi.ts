import type { FastifyInstance, RouteOptions } from 'fastify';
import { drillbookVersion } from '../model/version.js';

declare module 'fastify' {
  interface FastifySchema {
    /** One line for /openapi.json. */
    summary?: string;
  }
}

interface Collected {
  method: string;
  url: string;
  schema: Record<string, unknown>;
  role: string | undefined;
}

const OPENAPI_PATH = (url: string) => url.replace(/:([A-Za-z_]+)/g, '{$1}');

/**
 * The OpenAPI 3.1 document, built from the very schemas the routes validate with (collected as they are
 * registered): a route cannot be served without being documented. Each operation's `x-role` is the least role
 * it needs (absent: public).
 */
export function collectOpenApi(app: FastifyInstance): () => Record<string, unknown> {
  const routes: Collected[] = [];
  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      if (method === 'HEAD' || route.schema === undefined) continue;
      const config = route.config as { role?: string } | undefined;
      routes.push({ method, url: route.url, schema: route.schema as Record<string, unknown>, role: config?.role });
    }
  });
  return () => {
    const paths: Record<string, Record<string, unknown>> = {};
    for (const r of routes) {
      const path = OPENAPI_PATH(r.url);
      paths[path] ??= {};
      paths[path][r.method.toLowerCase()] = operation(r);
    }
    return {
      openapi: '3.1.0',
      info: { title: 'drillbook service', version: drillbookVersion },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      paths,
    };
  };
}

function operation(r: Collected): Record<string, unknown> {
  const s = r.schema as {
    summary?: string;
    params?: { properties?: Record<string, unknown>; required?: string[] };
    querystring?: { properties?: Record<string, unknown>; required?: string[] };
    body?: unknown;
    response?: Record<string, unknown>;
  };
  const parameters = [
    ...Object.entries(s.params?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'path',
      required: true,
      schema,
    })),
    ...Object.entries(s.querystring?.properties ?? {}).map(([name, schema]) => ({
      name,
      in: 'query',
      required: s.querystring?.required?.includes(name) ?? false,
      schema,
    })),
  ];
  const responses: Record<string, unknown> = {};
  for (const [code, schema] of Object.entries(s.response ?? { 200: {} }))
    responses[code] = { description: code, content: { 'application/json': { schema } } };
  if (r.role !== undefined) {
    responses['401'] = { description: 'no bearer token, or an unknown one' };
    responses['403'] = { description: `the token's role is below ${r.role}` };
  }
  return {
    ...(s.summary ? { summary: s.summary } : {}),
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(s.body ? { requestBody: { required: true, content: { 'application/json': { schema: s.body } } } } : {}),
    responses,
    ...(r.role !== undefined ? { security: [{ bearer: [] }], 'x-role': r.role } : { security: [] }),
  };
}
