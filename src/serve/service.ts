import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { drillbookHome } from '../journal/run-store.js';
import { UsageError } from '../model/errors.js';
import type { StoreConfig } from '../store/store-config.js';
import { buildApp } from './app.js';
import { HttpError, type ServiceContext } from './context.js';
import { startBoss } from './queue.js';
import { registerRunbook } from './runbook-registry.js';
import { startWorker, type Worker } from './worker.js';

export interface ServiceOptions {
  store: StoreConfig;
  /** Where each run's DRILLBOOK_HOME goes (default: $DRILLBOOK_HOME/service). */
  dataDir?: string;
  /** Concurrent runs of the embedded worker; 0: no embedded worker (runs wait for `drillbook worker`). */
  concurrency: number;
}

export interface Running {
  ctx: ServiceContext;
  worker: Worker | undefined;
  /** Stops taking work, interrupts running runs through their journals, closes the queue and the store. */
  close(): Promise<void>;
}

/** The store's pool and queue, and a worker if asked: what `serve` and `worker` both start. */
export async function startServiceParts(options: ServiceOptions): Promise<Running> {
  const { default: pg } = await import('pg');
  // UTC sessions, as the CLI's (periods are UTC days, weeks and months).
  const pool = new pg.Pool({
    connectionString: options.store.url,
    max: 10,
    application_name: 'drillbook-serve',
    options: '-c TimeZone=UTC',
  });
  pool.on('error', () => {});
  const boss = await startBoss(options.store);
  const ctx: ServiceContext = {
    store: options.store,
    pool,
    boss,
    dataDir: resolve(options.dataDir ?? join(drillbookHome(), 'service')),
  };
  const worker = options.concurrency > 0 ? await startWorker(ctx, options.concurrency) : undefined;
  return {
    ctx,
    worker,
    async close() {
      await worker?.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}

/** `-f FILE` at start: each registered as an upload by path would be; an invalid one stops the start. */
export async function registerStartFiles(ctx: ServiceContext, files: string[]): Promise<string[]> {
  const names: string[] = [];
  for (const file of files) {
    try {
      names.push((await registerRunbook(ctx.pool, { path: file }, 'drillbook serve -f')).name);
    } catch (error) {
      if (error instanceof HttpError) {
        const lines = (error.details.lines as string[] | undefined) ?? [];
        throw new UsageError([...lines, error.message].join('\n'));
      }
      throw error;
    }
  }
  return names;
}

export async function listen(
  ctx: ServiceContext,
  host: string,
  port: number,
): Promise<{ app: FastifyInstance; url: string }> {
  const app = await buildApp(ctx);
  await app.listen({ host, port });
  const address = app.server.address();
  const bound = typeof address === 'object' && address !== null ? address.port : port;
  return { app, url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}` };
}
