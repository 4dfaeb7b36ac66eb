import type { Redis } from 'ioredis';
import type { RedisProbe } from '../../model/runbook.js';
import { ProbeError, withDeadline, type CheckKind, type Words } from './check-kind.js';
import { hostPort, openRedis, redisAddress } from './redis-connection.js';

export const redisCheck: CheckKind<RedisProbe> = {
  defaultExpect: undefined,
  describe: (o, w) => ({
    what: `Redis ${w.code(target(o))}: ${o.probe === 'key' ? `key ${w.code(o.key ?? '')}` : REDIS_PROBES[o.probe ?? 'ping'](w)}`,
    defaults: o.probe === undefined ? 'PONG' : '',
  }),
  async probe(o, ctx) {
    const { client, where } = await openRedis(o, ctx.deadlineMs);
    try {
      return await withDeadline(measure(client, o), ctx.deadlineMs, where);
    } finally {
      client.disconnect();
    }
  },
};

async function measure(client: Redis, o: RedisProbe): Promise<Record<string, unknown>> {
  switch (o.probe ?? 'ping') {
    case 'ping':
      return { pong: await client.ping() };
    case 'role': {
      const role = await client.role();
      return {
        role: role[0],
        ...(role[0] === 'slave'
          ? { master_host: role[1], master_port: role[2], link: role[3] }
          : { connected_replicas: Array.isArray(role[2]) ? role[2].length : 0 }),
      };
    }
    case 'replication':
      return parseInfo(await client.info('replication'));
    case 'dbsize':
      return { dbsize: await client.dbsize() };
    case 'key': {
      if (!o.key) throw new ProbeError('probe key needs a key');
      const exists = (await client.exists(o.key)) === 1;
      const type = exists ? await client.type(o.key) : 'none';
      const value = type === 'string' ? await client.get(o.key) : null;
      return { exists, type, value };
    }
  }
}

/** INFO output ("role:master\r\nconnected_slaves:1") as fields; numbers stay text, expect compares by meaning. */
function parseInfo(text: string): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0 && !line.startsWith('#')) fields[line.slice(0, colon)] = line.slice(colon + 1);
  }
  return fields;
}

const REDIS_PROBES: Record<Exclude<NonNullable<RedisProbe['probe']>, 'key'>, (w: Words) => string> = {
  ping: (w) => w.code('PING'),
  role: (w) => `replication role (${w.code('ROLE')})`,
  replication: (w) => `replication state (${w.code('INFO replication')})`,
  dbsize: (w) => `number of keys (${w.code('DBSIZE')})`,
};

/** The address the probe connects to; describing never fails, so an unreadable url reads "redis URL". */
function target(o: RedisProbe): string {
  try {
    return hostPort(redisAddress(o));
  } catch {
    return o.url === undefined ? `${o.host ?? '127.0.0.1'}:${String(o.port ?? 6379)}` : 'the Redis URL';
  }
}
