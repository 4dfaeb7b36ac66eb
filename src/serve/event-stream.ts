import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, type ServiceContext } from './context.js';
import type { RunFeeds } from './run-feed.js';
import { findServiceRun } from './service-runs.js';

/**
 * A run's events as Server-Sent Events, read from the store in journal order: `id:` is the journal line, so a
 * client that reconnects with Last-Event-ID gets the next line, with no gap and no repeat. Waits for a queued
 * run to start; ends once the run has finished and its process is done (nothing more can be written). The
 * store is polled once per run for all its readers (run-feed.ts).
 */
export async function streamEvents(
  ctx: ServiceContext,
  feeds: RunFeeds,
  request: FastifyRequest,
  reply: FastifyReply,
  id: string,
): Promise<void> {
  const lastId = Number(request.headers['last-event-id'] ?? 0);
  if (!Number.isInteger(lastId) || lastId < 0) throw new HttpError(400, 'Last-Event-ID must be a journal line number');
  const service = await findServiceRun(ctx.pool, id);
  if (!service) {
    const r = await ctx.pool.query('select 1 from runs where id = $1', [id]);
    if (r.rowCount === 0) throw new HttpError(404, `no run "${id}"`);
  }
  reply.hijack();
  const out = reply.raw;
  out.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  await new Promise<void>((resolve) => {
    let closed = false;
    const stop = feeds.follow(
      { key: service?.id ?? id, serviceId: service?.id, runId: id },
      {
        after: lastId,
        send: (e) => out.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`),
        end: (error) => {
          if (error !== undefined && !closed) out.write(`event: error\ndata: ${JSON.stringify({ error })}\n\n`);
          out.end();
          resolve();
        },
      },
    );
    out.on('close', () => {
      closed = true;
      stop();
      out.end();
      resolve();
    });
  });
}
