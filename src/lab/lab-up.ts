import { chmodSync, copyFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { EnvironmentError, environmentErrorFrom, UsageError } from '../model/errors.js';
import { verifyArchiving } from './archiving.js';
import { ephemeralClash } from './ephemeral-ports.js';
import { writeBackendConfig } from './backend-config.js';
import type { LabLayout } from './layout.js';
import { labDown } from './lab-down.js';
import { readLabState, writeLabState, type LabState } from './lab-state.js';
import { labStatus, type ComponentStatus } from './lab-status.js';
import { initPrimary, initReplica, startNode } from './postgres-cluster.js';
import { preflight } from './preflight.js';
import { isAlive, portOpen, spawnDetached, waitFor } from './processes.js';
import { startRedis } from './redis-node.js';
import { seedDatabase, uploadBaseBackup } from './seed.js';
import { writeShims } from './shim-scripts.js';

const script = (name: string) => fileURLToPath(new URL(name, import.meta.url));

/**
 * Builds THE_BOT's estate on loopback. Idempotent: a running lab is reported, not rebuilt.
 * On any failure everything started so far is stopped again, so nothing is left half up.
 */
export async function labUp(layout: LabLayout, say: (line: string) => void): Promise<ComponentStatus[]> {
  if (readLabState(layout)) {
    const status = await labStatus(layout);
    if (status.every((c) => c.up)) return status;
    throw new UsageError(
      `the lab in ${layout.dir} is half up (${status
        .filter((c) => !c.up)
        .map((c) => c.component)
        .join(', ')} down); run "drillbook lab down" first`,
    );
  }
  preflight(layout);
  const busy = [];
  for (const port of Object.values(layout.ports)) if (await portOpen(port)) busy.push(port);
  if (busy.length > 0)
    throw new UsageError(
      `ports already in use: ${busy.join(', ')}; stop what listens there or pick another --base-port`,
    );
  const clash = ephemeralClash(Object.values(layout.ports));
  if (clash) say(`warning: ${clash}`);
  try {
    return await build(layout, say);
  } catch (error) {
    // Everything started is stopped; the logs stay, since the error points at one of them.
    await labDown(layout, () => undefined, { keepLogs: true });
    throw error;
  }
}

/**
 * Runs one stage of `lab up`. A failure that is not already typed becomes an EnvironmentError naming the
 * component and the log to read: the machine failed, not drillbook.
 */
async function stage<T>(component: string, log: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof UsageError) throw error;
    // The component's log is named only if it was written (initdb, say, fails before there is one).
    const where = (error instanceof EnvironmentError ? error.where : undefined) ?? (existsSync(log) ? log : undefined);
    const message =
      error instanceof EnvironmentError
        ? error.message
        : (environmentErrorFrom(error)?.message ??
          (error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)));
    throw new EnvironmentError(`lab up failed at the ${component}: ${message}`, where, { cause: error });
  }
}

/** The WAL archiver's script, copied into the lab folder: the postgres user may not reach drillbook's checkout. */
function installArchiveScript(layout: LabLayout): string {
  const target = join(layout.paths.bin, 'archive-wal.mjs');
  copyFileSync(script('./archive-wal.js'), target);
  chmodSync(target, 0o644);
  return target;
}

/** Brings the lab up component by component, in the order each needs the one before. */
async function build(layout: LabLayout, say: (line: string) => void): Promise<ComponentStatus[]> {
  const { paths } = layout;
  for (const dir of [layout.dir, paths.s3, paths.backend, paths.bin, paths.work]) mkdirSync(dir, { recursive: true });
  const state: LabState = { basePort: layout.basePort, startedAt: new Date().toISOString(), pids: {} };
  writeLabState(layout, state);
  await startS3(layout, state, say);
  await startPostgres(layout, state, say);
  await startRedisPair(layout, say);
  startBackend(layout, state, say);
  return wholeLabUp(layout);
}

async function startS3(layout: LabLayout, state: LabState, say: (line: string) => void): Promise<void> {
  const { paths, ports } = layout;
  say(`s3 store on 127.0.0.1:${ports.s3}`);
  const s3Log = join(layout.dir, 's3.log');
  await stage('s3 store', s3Log, async () => {
    state.pids.s3 = spawnDetached(process.execPath, [script('./s3-server.js'), paths.s3, String(ports.s3)], s3Log);
    writeLabState(layout, state);
    await waitFor(
      'the S3 store',
      () => portOpen(ports.s3),
      30_000,
      () => !isAlive(state.pids.s3),
    );
  });
}

/** The primary (seeded, archiving its WAL, with a base backup uploaded), then its streaming replica. */
async function startPostgres(layout: LabLayout, state: LabState, say: (line: string) => void): Promise<void> {
  const { paths, ports } = layout;
  say(`postgres primary on 127.0.0.1:${ports.pgPrimary} (WAL archived to s3://thebot-backups/wal-archives/)`);
  const primaryLog = `${paths.pgPrimary}.log`;
  await stage('postgres primary', primaryLog, async () => {
    const archive = `"${process.execPath}" "${installArchiveScript(layout)}" ${ports.s3} %p wal-archives/%f`;
    await startNode(await initPrimary(paths.pgPrimary, ports.pgPrimary, archive));
    await seedDatabase(layout);
    await verifyArchiving(ports.pgPrimary, primaryLog);
    state.baseBackup = await uploadBaseBackup(layout);
  });
  say(`base backup ${state.baseBackup ?? ''} uploaded with its .metadata`);

  say(`postgres replica on 127.0.0.1:${ports.pgReplica} (pg_basebackup -R, streaming)`);
  await stage('postgres replica', `${paths.pgReplica}.log`, async () => {
    await startNode(await initReplica(paths.pgReplica, ports.pgReplica, ports.pgPrimary));
  });
}

async function startRedisPair(layout: LabLayout, say: (line: string) => void): Promise<void> {
  const { paths, ports } = layout;
  say(`redis primary on 127.0.0.1:${ports.redisPrimary}, replica on 127.0.0.1:${ports.redisReplica}`);
  await stage('redis primary', join(paths.redisPrimary, 'redis.log'), () =>
    startRedis(paths.redisPrimary, ports.redisPrimary),
  );
  await stage('redis replica', join(paths.redisReplica, 'redis.log'), () =>
    startRedis(paths.redisReplica, ports.redisReplica, ports.redisPrimary),
  );
  await stage('redis primary', join(paths.redisPrimary, 'redis.log'), () => seedCache(ports.redisPrimary));
}

/** The backend under its supervisor, configured for the lab's database and cache, and the shims that drive it. */
function startBackend(layout: LabLayout, state: LabState, say: (line: string) => void): void {
  const { paths, ports } = layout;
  say(`backend on http://127.0.0.1:${ports.backend}`);
  writeBackendConfig(paths.backend, {
    DATABASE_HOST: '127.0.0.1',
    DATABASE_PORT: String(ports.pgPrimary),
    DATABASE_NAME: 'thebot',
    DATABASE_USER: 'thebot_user',
    REDIS_HOST: '127.0.0.1',
    REDIS_PORT: String(ports.redisPrimary),
  });
  state.pids.supervisor = spawnDetached(
    process.execPath,
    [script('./supervisor.js'), paths.backend, String(ports.backend)],
    join(paths.backend, 'supervisor.log'),
  );
  writeLabState(layout, state);
  writeFileSync(join(paths.backend, 'supervisor.pid'), String(state.pids.supervisor));
  writeShims(layout);
}

/** The last health check: every component up within 30 s, or the ones that are not are named. */
async function wholeLabUp(layout: LabLayout): Promise<ComponentStatus[]> {
  let status: ComponentStatus[] = [];
  await stage('last health check', layout.dir, async () => {
    try {
      await waitFor(
        'the whole lab',
        async () => {
          status = await labStatus(layout);
          return status.every((c) => c.up);
        },
        30_000,
      );
    } catch {
      throw new EnvironmentError(
        `${status
          .filter((c) => !c.up)
          .map((c) => c.component)
          .join(', ')} did not come up within 30 s`,
      );
    }
  });
  return status;
}

async function seedCache(port: number): Promise<void> {
  const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, maxRetriesPerRequest: 1 });
  await client.connect();
  for (let i = 0; i < 100; i++) await client.set(`session:${i}`, `user${i}`);
  client.disconnect();
}
