import { readFileSync } from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { ServiceContext } from '../context.js';
import { registerConsoleReadRoutes } from '../routes/console-reads.js';
import { consoleCss } from './console-css.js';
import { CONSOLE_CSP, CONSOLE_ICON, consolePage, VIEWS } from './console-page.js';

/** Where scripts/build.mjs puts the bundled module: dist/console, beside dist/cli (the CLI bundle) or two levels up (tsc's output). */
const BUNDLE_DIRS = ['../console/', '../../console/'];

function consoleScript(): string | undefined {
  for (const dir of BUNDLE_DIRS) {
    try {
      return readFileSync(new URL(`${dir}console.js`, import.meta.url), 'utf8');
    } catch {
      // not there: the next place
    }
  }
  return undefined;
}

function secure(reply: FastifyReply): FastifyReply {
  return reply
    .header('content-security-policy', CONSOLE_CSP)
    .header('x-content-type-options', 'nosniff')
    .header('referrer-policy', 'no-referrer')
    .header('cache-control', 'no-cache');
}

/**
 * The web console at /console: server-rendered pages (no token needed to load them; every figure comes from the
 * API with the token the person pastes), its module and stylesheet, and the API reads it needs. The pages
 * have no schema, so they stay out of /openapi.json, which documents the API only.
 */
export function registerConsole(app: FastifyInstance, ctx: ServiceContext): void {
  registerConsoleReadRoutes(app, ctx);
  const script = consoleScript();
  app.get('/console', (_request, reply) => reply.redirect('/console/live'));
  for (const view of VIEWS)
    app.get(view.path, (_request, reply) => secure(reply).type('text/html; charset=utf-8').send(consolePage(view.id)));
  app.get('/console/assets/console.css', (_request, reply) =>
    secure(reply).type('text/css; charset=utf-8').send(consoleCss),
  );
  app.get('/console/assets/icon.svg', (_request, reply) => secure(reply).type('image/svg+xml').send(CONSOLE_ICON));
  app.get('/console/assets/console.js', (_request, reply) => {
    if (script === undefined)
      return reply.code(503).send({ error: 'the console is not built here: run npm run build (scripts/build.mjs)' });
    return secure(reply).type('text/javascript; charset=utf-8').send(script);
  });
}
