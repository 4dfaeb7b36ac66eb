import { messageOf } from '../model/error-message.js';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError, type ServiceContext } from './context.js';
import { findServiceRun } from './service-runs.js';
import { eventsAfter } from './stored-run.js';

/** How often the stream looks for new events in the store (the shipper batches every 250 ms). */
const POLL_MS = 200;
const DONE = new Set(['finished', 'failed', 'cancelled', 'interrupted']);

/**
 * A run's events as Server-Sent Events, read from the store in journal order: `id:` is the journal line, so a
 * client that reconnects with Last-Event-ID gets the next line, with no gap and no repeat. Waits for a queued
 * run to start; ends once the run has finished and its process is done (nothing more can be written).
 */
export async function streamEvents(
  ctx: ServiceContext,
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
  let closed = false;
  request.raw.on('close', () => (closed = true));
  let after = lastId;
  let finishedSeen = false;
  try {
    while (!closed) {
      const state = service ? await findServiceRun(ctx.pool, service.id) : undefined;
      const runId = state?.runId ?? (service ? null : id);
      const ended = service ? DONE.has(state?.status ?? '') : finishedSeen;
      if (runId !== null) {
        const events = await eventsAfter(ctx.pool, runId, after);
        for (const e of events) {
          out.write(`id: ${e.seq}\nevent: ${e.type}\ndata: ${JSON.stringify(e.payload)}\n\n`);
          after = e.seq;
          if (e.type === 'run-finished') finishedSeen = true;
        }
        if (events.length > 0) continue;
      }
      // The state was read before these events: nothing is written after a finished request's last line.
      if (ended) break;
      await sleep(POLL_MS);
    }
  } catch (error) {
    if (!closed) out.write(`event: error\ndata: ${JSON.stringify({ error: messageOf(error) })}\n\n`);
  }
  out.end();
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
