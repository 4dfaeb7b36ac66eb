import { readFileSync, rmSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { writeFileAtomic } from '../journal/run-store.js';
import { EnvironmentError, UsageError } from '../model/errors.js';
import type { LabLayout } from './layout.js';
import { signal, waitFor } from './processes.js';
import { stopNode } from './postgres-cluster.js';

/** What a break recorded: when it happened and the last data committed before it (for the RPO). */
export interface BreakRecord {
  incident: string;
  failedAt: string;
  /** The last audit_log marker committed before the failure; recovery must keep it. */
  lastCommitted: { id: number; at: string } | null;
  /** INC-006: the point in time just before the corruption (the PITR target). */
  recoveryPoint?: string;
  description: string;
}

const BREAKS: Record<string, (layout: LabLayout) => Promise<Omit<BreakRecord, 'incident' | 'failedAt'>>> = {
  'INC-001': (layout) => {
    signal(pid(join(layout.paths.backend, 'backend.pid')), 'SIGKILL');
    return Promise.resolve({
      lastCommitted: null,
      description: 'backend process killed (the supervisor restarts it after a back-off, like a crash-looping pod)',
    });
  },
  'INC-002': async (layout) => {
    const lastCommitted = await marker(layout, 'before-replica-loss');
    await stopNode({ dir: layout.paths.pgReplica, port: 0, log: '' }, 'immediate');
    for (const name of readdirSync(layout.paths.pgReplica))
      rmSync(join(layout.paths.pgReplica, name), { recursive: true, force: true });
    return {
      lastCommitted,
      description:
        'replica stopped and its data directory wiped: replication is broken and the replica must be rebuilt',
    };
  },
  'INC-003': async (layout) => {
    const lastCommitted = await marker(layout, 'before-primary-loss');
    await new Promise((r) => setTimeout(r, 300));
    await stopNode({ dir: layout.paths.pgPrimary, port: 0, log: '' }, 'immediate');
    return { lastCommitted, description: 'primary stopped hard (pg_ctl stop -m immediate)' };
  },
  'INC-004': async (layout) => {
    // The backend writes a heartbeat every second; a primary dies while writes flow to its replica.
    await heartbeatReplicated(layout);
    signal(pid(join(layout.paths.redisPrimary, 'redis.pid')), 'SIGKILL');
    return {
      lastCommitted: null,
      description: 'Redis primary killed (SIGKILL) while the backend writes its heartbeat',
    };
  },
  'INC-005': async (layout) => {
    // Only what the S3 base backup holds can come back: the data loss is that backup's age (the RPO).
    signal(pid(join(layout.paths.backend, 'supervisor.pid')), 'SIGKILL');
    signal(pid(join(layout.paths.backend, 'backend.pid')), 'SIGKILL');
    for (const dir of [layout.paths.redisPrimary, layout.paths.redisReplica])
      signal(pid(join(dir, 'redis.pid')), 'SIGKILL');
    for (const dir of [layout.paths.pgReplica, layout.paths.pgPrimary]) {
      await stopNode({ dir, port: 0, log: '' }, 'immediate');
      rmSync(dir, { recursive: true, force: true });
    }
    await standbyRegion(layout);
    return {
      lastCommitted: null,
      description:
        'datacenter lost: PostgreSQL, Redis and the backend gone with their data; only the S3 backups remain. The standby region (empty PostgreSQL and Redis, backend deployed) is ready',
    };
  },
  'INC-006': async (layout) => {
    const lastCommitted = await marker(layout, 'good-before-corruption');
    await new Promise((r) => setTimeout(r, 500));
    const recoveryPoint = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 500));
    await sql(
      layout,
      "update accounts_user set email = null where id % 7 = 0; delete from audit_log where action = 'seed' and id % 2 = 0; insert into audit_log (action) values ('corrupting-change')",
    );
    // Recovery stops at the first commit after the target: that commit's WAL must be archived too.
    await archiveCurrentWal(layout);
    return {
      lastCommitted,
      recoveryPoint,
      description: `accounts_user emails nulled and audit_log rows deleted after ${recoveryPoint}`,
    };
  },
};

export async function labBreak(layout: LabLayout, incident: string): Promise<BreakRecord> {
  const inject = BREAKS[incident];
  if (!inject) throw new UsageError(`no lab failure for ${incident}; known: ${Object.keys(BREAKS).join(', ')}`);
  const result = await inject(layout);
  const record: BreakRecord = { incident, failedAt: new Date().toISOString(), ...result };
  writeFileAtomic(layout.paths.breakRecord, `${JSON.stringify(record, null, 2)}\n`);
  return record;
}

function pid(file: string): number | undefined {
  try {
    return Number(readFileSync(file, 'utf8').split('\n')[0]) || undefined;
  } catch {
    return undefined;
  }
}

async function sql(layout: LabLayout, text: string): Promise<pg.QueryResult[]> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port: layout.ports.pgPrimary,
    user: 'postgres',
    database: 'thebot',
  });
  await client.connect();
  try {
    const result = (await client.query(text)) as unknown as pg.QueryResult | pg.QueryResult[];
    return Array.isArray(result) ? result : [result];
  } finally {
    await client.end();
  }
}

/** Commits a marker row and forces its WAL out (archived), returning it. */
async function marker(layout: LabLayout, action: string): Promise<{ id: number; at: string }> {
  const [row] = await sql(
    layout,
    `insert into audit_log (action) values ('${action}') returning id, timestamp::text as at`,
  );
  await archiveCurrentWal(layout);
  const r = row?.rows[0] as { id: number; at: string } | undefined;
  if (!r)
    throw new EnvironmentError(
      'the lab primary did not return the marker row it was given',
      `${layout.paths.pgPrimary}.log`,
    );
  return r;
}

/** Switches to a new WAL segment and waits until the finished one is in the archive. */
async function archiveCurrentWal(layout: LabLayout): Promise<void> {
  const [r] = await sql(layout, 'select pg_walfile_name(pg_switch_wal()) as wal');
  const wal = String((r?.rows[0] as { wal: string } | undefined)?.wal);
  for (let i = 0; i < 200; i++) {
    const [a] = await sql(layout, 'select last_archived_wal from pg_stat_archiver');
    const last = (a?.rows[0] as { last_archived_wal: string | null } | undefined)?.last_archived_wal;
    if (last && last >= wal) return;
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new EnvironmentError(`WAL segment ${wal} was not archived within 20 s`, `${layout.paths.pgPrimary}.log`);
}

/**
 * INC-005's standby region, pre-provisioned as the runbook assumes: an empty PostgreSQL server
 * (roles exist, no data), an empty Redis, and the backend deployed but failing until data is back.
 */
async function standbyRegion(layout: LabLayout): Promise<void> {
  const { initPrimary, startNode } = await import('./postgres-cluster.js');
  const { startRedis } = await import('./redis-node.js');
  const { spawnDetached } = await import('./processes.js');
  const { fileURLToPath } = await import('node:url');
  const { writeFileSync } = await import('node:fs');
  const dir = join(layout.dir, 'postgres', 'dr-region');
  const node = await initPrimary(dir, layout.ports.pgPrimary, '/bin/true');
  await startNode(node);
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: layout.ports.pgPrimary,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  await admin.query('create role thebot_user login');
  await admin.end();
  await startRedis(join(layout.dir, 'redis', 'dr-region'), layout.ports.redisPrimary);
  const supervisor = spawnDetached(
    process.execPath,
    [fileURLToPath(new URL('./supervisor.js', import.meta.url)), layout.paths.backend, String(layout.ports.backend)],
    join(layout.paths.backend, 'supervisor.log'),
  );
  writeFileSync(join(layout.paths.backend, 'supervisor.pid'), String(supervisor));
}

/** Waits (up to 10 s) until the Redis replica holds a heartbeat the backend wrote to the primary. */
async function heartbeatReplicated(layout: LabLayout): Promise<void> {
  const { Redis } = await import('ioredis');
  const replica = new Redis({
    host: '127.0.0.1',
    port: layout.ports.redisReplica,
    lazyConnect: true,
    connectTimeout: 1000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  replica.on('error', () => undefined);
  try {
    await replica.connect();
    await waitFor(
      'a backend heartbeat on the Redis replica',
      async () => (await replica.exists('thebot:heartbeat')) === 1,
      10_000,
    ).catch(() => {
      throw new UsageError(
        `no backend heartbeat reached the Redis replica on 127.0.0.1:${String(layout.ports.redisReplica)} within 10 s; is the lab up (drillbook lab status)?`,
      );
    });
  } finally {
    replica.disconnect();
  }
}
