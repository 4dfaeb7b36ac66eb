import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../../context.js';
import { roomPage } from './room-page.js';
import { ROOM_SCRIPT } from './room-script.js';

/**
 * The page and script may load only from this service; the script talks only to its API. No CDN, no font,
 * no frame: the room works on a laptop without internet at a tabletop.
 */
const CSP =
  "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

/**
 * The tabletop room (`/console/tabletop`): a page with no data in it. Its script reads the session over the
 * API with the console's token (sessionStorage `drillbook.token`), so the page itself needs no auth.
 */
export function registerTabletop(app: FastifyInstance, _ctx: ServiceContext): void {
  const page = roomPage();
  app.get('/console/tabletop', (_request, reply) =>
    reply
      .header('content-security-policy', CSP)
      .header('cache-control', 'no-store')
      .type('text/html; charset=utf-8')
      .send(page),
  );
  app.get('/console/tabletop/room.js', (_request, reply) =>
    reply.header('cache-control', 'no-store').type('text/javascript; charset=utf-8').send(ROOM_SCRIPT),
  );
}
