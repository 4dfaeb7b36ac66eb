import { mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Job } from 'pg-boss';
import { connectStore, type StoreClient } from '../store/connect.js';
import type { ServiceContext } from './context.js';
import { RUN_QUEUE } from './queue.js';
import { startRun, syncHome, type RunChild } from './run-child.js';
import { newRunId } from '../journal/run-store.js';
import { runbookSource } from './runbook-registry.js';
import {
  CANCEL_CHANNEL,
  claimServiceRun,
  finishServiceRun,
  setRunId,
  type RunRequest,
  type ServiceRunStatus,
} from './service-runs.js';

export interface Worker {
  /** Stops taking jobs and interrupts every running run through its journal's interrupt path (SIGTERM). */
  stop(): Promise<void>;
  running(): number;
}

interface Held extends RunChild {
  cancelled: boolean;
}

/**
 * Takes queued runs from pg-boss, at most `concurrency` at once (one pg-boss work loop each, one job at a
 * time), and runs each as the CLI. Cancels arrive by NOTIFY from whichever API process took them.
 */
export async function startWorker(ctx: ServiceContext, concurrency: number): Promise<Worker> {
  const name = `${hostname()}:${process.pid}`;
  const running = new Map<string, Held>();
  let stopping = false;
  const listener = await listenForCancels(ctx, running);

  const runJob = (req: RunRequest) => runOneJob(ctx, { name, running, stopping: () => stopping }, req);

  const ids: string[] = [];
  for (let i = 0; i < concurrency; i += 1)
    ids.push(
      await ctx.boss.work<RunRequest>(
        RUN_QUEUE,
        { batchSize: 1, pollingIntervalSeconds: 0.5 },
        async (jobs: Job<RunRequest>[]) => {
          for (const job of jobs) await runJob(job.data);
        },
      ),
    );

  return {
    running: () => running.size,
    async stop() {
      stopping = true;
      const off = Promise.all(ids.map((id) => ctx.boss.offWork({ id }).catch(() => {})));
      const exits = [...running.values()].map((held) => {
        held.child.kill('SIGTERM');
        return held.exited;
      });
      await Promise.all(exits);
      // Their bookkeeping (sync, status) finishes inside the handlers offWork waits for.
      await off;
      await listener.end().catch(() => {});
    },
  };
}

/** One queued run: claimed, its runbook written to its own home, run as the CLI, synced, its status recorded. */
async function runOneJob(
  ctx: ServiceContext,
  worker: { name: string; running: Map<string, Held>; stopping: () => boolean },
  req: RunRequest,
): Promise<void> {
  if (worker.stopping()) {
    // Taken while this worker stops: back to the queue for another worker, never started here.
    await ctx.boss.send(RUN_QUEUE, req);
    return;
  }
  if (!(await claimServiceRun(ctx.pool, req.id, worker.name))) return;
  const source = await runbookSource(ctx.pool, req.runbook);
  if (source === undefined) {
    await finishServiceRun(ctx.pool, req.id, 'failed', null, `runbook "${req.runbook}" is no longer registered`);
    return;
  }
  const home = join(ctx.dataDir, 'jobs', req.id);
  mkdirSync(home, { recursive: true });
  const file = join(home, 'runbook.yaml');
  writeFileSync(file, source);
  // Known before the run starts: a worker that dies at any moment leaves a request that names its run.
  const runId = newRunId(req.incident);
  await setRunId(ctx.pool, req.id, runId);
  const held: Held = { ...startRun(req, runId, file, home, ctx.store), cancelled: false };
  worker.running.set(req.id, held);
  try {
    const result = await held.exited;
    await syncHome(home, ctx.store).exited;
    const status = statusOf(result.code, result.signal, held.cancelled);
    const error = status === 'failed' ? lastLine(result.stderr) : null;
    await finishServiceRun(ctx.pool, req.id, status, result.code, error);
  } finally {
    worker.running.delete(req.id);
  }
}

/** Cancels arrive by NOTIFY from whichever API process took them: SIGINT to the run this worker holds. */
async function listenForCancels(ctx: ServiceContext, running: Map<string, Held>): Promise<StoreClient> {
  const listener: StoreClient = await connectStore(ctx.store, () => {});
  await listener.query(`listen ${CANCEL_CHANNEL}`);
  listener.on('notification', (message) => {
    const held = message.payload === undefined ? undefined : running.get(message.payload);
    if (!held) return;
    held.cancelled = true;
    held.child.kill('SIGINT');
  });
  return listener;
}

/** drillbook run's exit codes (docs/cli.md): 0/1/3 a verdict, 2 a usage problem, 128+N a stop. */
function statusOf(code: number | null, signal: NodeJS.Signals | null, cancelled: boolean): ServiceRunStatus {
  if (cancelled) return 'cancelled';
  if (signal !== null || (code !== null && code >= 128)) return 'interrupted';
  return code === 2 ? 'failed' : 'finished';
}

function lastLine(text: string): string {
  return text.trim().split('\n').at(-1) ?? '';
}
