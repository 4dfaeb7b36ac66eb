import pg from 'pg';
import { Redis } from 'ioredis';
import { readBackendConfig, type BackendConfig } from './backend-config.js';
import type { BreakRecord } from './lab-break.js';
import type { LabLayout } from './layout.js';
import { messageOf } from '../model/error-message.js';

/**
 * After a drill: is the data the backend now serves intact? The marker committed before the
 * failure must be there (no committed row lost); for INC-006 the corrupting change must be gone.
 */
export async function verifyData(layout: LabLayout, record: BreakRecord): Promise<{ ok: boolean; detail: string }> {
  const config = readBackendConfig(layout.paths.backend);
  const problems = [...(await databaseProblems(config, record)), ...(await cacheProblems(config))];
  return problems.length === 0
    ? { ok: true, detail: `data intact on ${config.DATABASE_HOST}:${config.DATABASE_PORT}/${config.DATABASE_NAME}` }
    : { ok: false, detail: problems.join('; ') };
}

/** Every user row there, the marker committed before the failure there, and for INC-006 the corruption gone. */
async function databaseProblems(config: BackendConfig, record: BreakRecord): Promise<string[]> {
  const problems: string[] = [];
  const client = new pg.Client({
    host: config.DATABASE_HOST,
    port: Number(config.DATABASE_PORT),
    database: config.DATABASE_NAME,
    user: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const users = await client.query<{ n: number }>('select count(*)::int as n from accounts_user');
    if ((users.rows[0]?.n ?? 0) < 1000) problems.push(`accounts_user has ${users.rows[0]?.n ?? 0} rows, expected 1000`);
    if (record.lastCommitted) {
      const marker = await client.query('select 1 from audit_log where id = $1', [record.lastCommitted.id]);
      if (marker.rowCount !== 1)
        problems.push(`marker row ${record.lastCommitted.id} committed before the failure is missing`);
    }
    if (record.incident === 'INC-006') {
      const nulls = await client.query<{ n: number }>(
        'select count(*)::int as n from accounts_user where email is null',
      );
      if ((nulls.rows[0]?.n ?? 0) > 0) problems.push(`${nulls.rows[0]?.n ?? 0} corrupted emails remain`);
      const corrupting = await client.query("select 1 from audit_log where action = 'corrupting-change'");
      if ((corrupting.rowCount ?? 0) > 0) problems.push('the corrupting change is still there');
    }
  } catch (error) {
    problems.push(
      `database ${config.DATABASE_HOST}:${config.DATABASE_PORT}/${config.DATABASE_NAME}: ${messageOf(error)}`,
    );
  } finally {
    void client.end().catch(() => undefined);
  }
  return problems;
}

async function cacheProblems(config: BackendConfig): Promise<string[]> {
  const cache = new Redis({
    host: config.REDIS_HOST,
    port: Number(config.REDIS_PORT),
    lazyConnect: true,
    connectTimeout: 3000,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  cache.on('error', () => undefined);
  try {
    await cache.connect();
    if ((await cache.ping()) !== 'PONG') return ['redis does not answer PING'];
    return [];
  } catch (error) {
    return [`redis ${config.REDIS_HOST}:${config.REDIS_PORT}: ${messageOf(error)}`];
  } finally {
    cache.disconnect();
  }
}
