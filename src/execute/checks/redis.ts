import type { RedisProbe } from '../../model/runbook.js';
import { ProbeError, withDeadline, type CheckKind } from './check-kind.js';

export const redisCheck: CheckKind<RedisProbe> = {
  defaultExpect: undefined,
  describe: (o) => `Redis ${target(o)} ${o.probe ?? 'ping'}${o.key ? ` ${o.key}` : ''}`,
  async probe(o, ctx) {
    const { Redis } = await import('ioredis');
    // No reconnect loop and no offline queue: a dead server fails the check now, not later.
    const options = {
      lazyConnect: true,
      connectTimeout: ctx.deadlineMs,
      commandTimeout: ctx.deadlineMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
      reconnectOnError: () => false,
      ...(o.host ? { host: o.host } : {}),
      ...(o.port !== undefined ? { port: Number(o.port) } : {}),
      ...(o.password ? { password: process.env[o.password] ?? '' } : {}),
      ...(o.db !== undefined ? { db: o.db } : {}),
    };
    const client = o.url ? new Redis(o.url, options) : new Redis(options);
    client.on('error', () => undefined);
    try {
      await withDeadline(client.connect(), ctx.deadlineMs, target(o)).catch((error: unknown) => {
        throw new ProbeError(`${target(o)}: cannot connect (${reason(error)})`);
      });
      return await withDeadline(measure(client, o), ctx.deadlineMs, target(o));
    } finally {
      client.disconnect();
    }
  },
};

type Client = InstanceType<typeof import('ioredis').Redis>;

async function measure(client: Client, o: RedisProbe): Promise<Record<string, unknown>> {
  switch (o.probe ?? 'ping') {
    case 'ping':
      return { pong: await client.ping() };
    case 'role': {
      const role = (await client.role());
      return { role: role[0], ...(role[0] === 'slave' ? { master_host: role[1], master_port: role[2], link: role[3] } : { connected_replicas: Array.isArray(role[2]) ? role[2].length : 0 }) };
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

function target(o: RedisProbe): string {
  if (o.url) {
    try {
      const url = new URL(o.url);
      return `${url.hostname}:${url.port || '6379'}`;
    } catch {
      return 'redis URL';
    }
  }
  return `${o.host ?? '127.0.0.1'}:${o.port ?? 6379}`;
}

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
