import { join, resolve } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { drillbookHome } from '../journal/run-store.js';
import { UsageError } from '../model/errors.js';
import type { StoreConfig } from '../store/store-config.js';
import { AlertChecker } from './alerts/alert-checker.js';
import type { AlertConfig } from './alerts/alert-config.js';
import { buildApp } from './app.js';
import { HttpError, type ServiceContext } from './context.js';
import { startBoss } from './queue.js';
import { registerRunbook } from './runbook-registry.js';
import { Scheduler } from './schedules/scheduler.js';
import { startWorker, type Worker } from './worker.js';

export interface ServiceOptions {
  store: StoreConfig;
  /** Where each run's DRILLBOOK_HOME goes (default: $DRILLBOOK_HOME/service). */
  dataDir?: string;
  /** Concurrent runs of the embedded worker; 0: no embedded worker (runs wait for `drillbook worker`). */
  concurrency: number;
  /** `serve` only: fire schedules (pg-boss's cron) and check alerts; `drillbook worker` does neither. */
  serve?: { alerts: AlertConfig };
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
  const boss = await startBoss(options.store, { schedule: options.serve !== undefined });
  const ctx: ServiceContext = {
    store: options.store,
    pool,
    boss,
    dataDir: resolve(options.dataDir ?? join(drillbookHome(), 'service')),
  };
  if (options.serve) await startServeParts(ctx, options.serve.alerts);
  const worker = options.concurrency > 0 ? await startWorker(ctx, options.concurrency) : undefined;
  return {
    ctx,
    worker,
    async close() {
      await ctx.alerts?.stop();
      await ctx.scheduler?.stop();
      await worker?.stop();
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 }).catch(() => {});
      await pool.end().catch(() => {});
    },
  };
}

/** What only `serve` runs: the schedules in step with pg-boss's cron, and the alert checks. */
async function startServeParts(ctx: ServiceContext, alerts: AlertConfig): Promise<void> {
  ctx.scheduler = new Scheduler(ctx);
  await ctx.scheduler.start();
  ctx.alerts = new AlertChecker(ctx, alerts);
  ctx.alerts.start();
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
