/**
 * THE_BOT backend stand-in for the DR lab: an HTTP service whose health endpoint reports whether
 * its configured PostgreSQL and Redis answer. Run by the lab supervisor: node backend-server.js DIR PORT
 */
import { createServer } from 'node:http';
import pg from 'pg';
import { Redis } from 'ioredis';
import { readBackendConfig } from './backend-config.js';
import { messageOf } from '../model/error-message.js';

const [dir = '.', portText = '25480'] = process.argv.slice(2);
const config = readBackendConfig(dir);
const log = (line: string) => {
  process.stdout.write(`${new Date().toISOString()} ${line}\n`);
};

async function database(): Promise<{ status: string; host: string; error?: string }> {
  const host = `${config.DATABASE_HOST}:${config.DATABASE_PORT}`;
  const client = new pg.Client({
    host: config.DATABASE_HOST,
    port: Number(config.DATABASE_PORT),
    database: config.DATABASE_NAME,
    user: config.DATABASE_USER,
    connectionTimeoutMillis: 1500,
    query_timeout: 1500,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    const r = await client.query<{ r: boolean }>('select pg_is_in_recovery() as r');
    return r.rows[0]?.r ? { status: 'read-only', host } : { status: 'healthy', host };
  } catch (error) {
    return { status: 'unhealthy', host, error: messageOf(error) };
  } finally {
    void client.end().catch(() => undefined);
  }
}

/** Writes one key to the configured Redis, the way the backend uses its cache. */
async function redisWrite(key: string, value: string): Promise<{ status: string; host: string; error?: string }> {
  const host = `${config.REDIS_HOST}:${config.REDIS_PORT}`;
  const client = new Redis({
    host: config.REDIS_HOST,
    port: Number(config.REDIS_PORT),
    lazyConnect: true,
    connectTimeout: 1000,
    commandTimeout: 1000,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.set(key, value);
    return { status: 'healthy', host };
  } catch (error) {
    return { status: 'unhealthy', host, error: messageOf(error) };
  } finally {
    client.disconnect();
  }
}

const cache = () => redisWrite('thebot:health', new Date().toISOString());

/**
 * Every second the backend writes thebot:heartbeat (epoch ms): the newest heartbeat a Redis
 * replica holds is the last write that reached it, which is how INC-004 measures its RPO.
 */
const heartbeat = () => {
  void redisWrite('thebot:heartbeat', String(Date.now()));
};
heartbeat();
setInterval(heartbeat, 1000);

const server = createServer((req, res) => {
  void (async () => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url?.startsWith('/api/system/health')) {
      const [db, redis] = await Promise.all([database(), cache()]);
      const healthy = db.status === 'healthy' && redis.status === 'healthy';
      if (db.status !== 'healthy') log(`ERROR database connection to ${db.host} failed: ${db.error ?? db.status}`);
      if (redis.status !== 'healthy')
        log(`ERROR redis connection to ${redis.host} failed: ${redis.error ?? redis.status}`);
      send(healthy ? 200 : 503, { overall_status: healthy ? 'healthy' : 'degraded', database: db, redis });
    } else if (req.url?.startsWith('/api/system/readiness')) {
      const db = await database();
      send(db.status === 'healthy' ? 200 : 503, { ready: db.status === 'healthy' });
    } else if (req.url?.startsWith('/api/system/metrics')) {
      const [db, redis] = await Promise.all([database(), cache()]);
      send(200, {
        postgresql: db.status === 'healthy' ? 'UP' : 'DOWN',
        redis: redis.status === 'healthy' ? 'UP' : 'DOWN',
        uptime_seconds: Math.round(process.uptime()),
      });
    } else {
      send(404, { error: 'not found' });
    }
  })();
});

server.listen(Number(portText), '127.0.0.1', () => {
  log(`backend listening on 127.0.0.1:${portText}`);
  void database().then((db) => {
    log(
      db.status === 'healthy'
        ? `Successfully connected to database ${db.host}`
        : `ERROR database ${db.host}: ${db.error ?? db.status}`,
    );
  });
});
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
