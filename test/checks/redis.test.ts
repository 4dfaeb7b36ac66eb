import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/execute/checks/registry.js';
import { startRedis, stopRedis, type RedisNode } from '../../src/lab/redis-node.js';
import { freePort, requireService } from '../helpers/services.js';

const signal = new AbortController().signal;
const local = { host: '127.0.0.1', port: 6379 };
const KEY = `drillbook:test:${process.pid}`;

beforeAll(async () => {
  await requireService('Redis', 6379);
  const client = new Redis(local);
  await client.set(KEY, 'marker-value');
  client.disconnect();
});

afterAll(async () => {
  const client = new Redis(local);
  await client.del(KEY);
  client.disconnect();
});

describe('redis check against the server on 127.0.0.1:6379', () => {
  it('ping passes; a dead port fails within its deadline with host:port', async () => {
    expect(await runCheck({ redis: { ...local, probe: 'ping', expect: { pong: 'PONG' } } }, signal)).toMatchObject({
      ok: true,
    });
    const dead = await freePort();
    const t0 = Date.now();
    const r = await runCheck({ timeout: '2s', redis: { host: '127.0.0.1', port: dead, probe: 'ping' } }, signal);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`127.0.0.1:${dead}: cannot connect`);
  });

  it('role is master; expecting slave fails', async () => {
    expect(await runCheck({ redis: { ...local, probe: 'role', expect: { role: 'master' } } }, signal)).toMatchObject({
      ok: true,
    });
    expect((await runCheck({ redis: { ...local, probe: 'role', expect: { role: 'slave' } } }, signal)).error).toContain(
      'role expected slave (got master)',
    );
  });

  it('key exists / value equals, dbsize >= N', async () => {
    expect(
      await runCheck(
        { redis: { ...local, probe: 'key', key: KEY, expect: { exists: true, value: 'marker-value' } } },
        signal,
      ),
    ).toMatchObject({ ok: true });
    expect(
      (await runCheck({ redis: { ...local, probe: 'key', key: `${KEY}:missing`, expect: { exists: true } } }, signal))
        .ok,
    ).toBe(false);
    expect(
      await runCheck({ redis: { ...local, probe: 'dbsize', expect: { dbsize: { ge: 1 } } } }, signal),
    ).toMatchObject({ ok: true });
    expect((await runCheck({ redis: { ...local, probe: 'dbsize', expect: { dbsize: { ge: 1e9 } } } }, signal)).ok).toBe(
      false,
    );
  });
});

describe('redis primary + replica pair', () => {
  let primary: RedisNode;
  let replica: RedisNode;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'drillbook-redis-'));
    const [p1, p2] = [await freePort(), await freePort()];
    primary = await startRedis(join(base, 'primary'), p1);
    replica = await startRedis(join(base, 'replica'), p2, p1);
  });

  afterAll(() => {
    stopRedis(replica);
    stopRedis(primary);
  });

  it('sees the replica linked (master_link_status up) and the offsets caught up', async () => {
    const onReplica = { host: '127.0.0.1', port: replica.port };
    let r = await runCheck(
      { redis: { ...onReplica, probe: 'replication', expect: { role: 'slave', master_link_status: 'up' } } },
      signal,
    );
    for (let i = 0; i < 50 && !r.ok; i++) {
      await new Promise((res) => setTimeout(res, 100));
      r = await runCheck(
        { redis: { ...onReplica, probe: 'replication', expect: { role: 'slave', master_link_status: 'up' } } },
        signal,
      );
    }
    expect(r).toMatchObject({ ok: true });
    expect(
      await runCheck(
        { redis: { ...onReplica, probe: 'role', expect: { role: 'slave', master_port: primary.port } } },
        signal,
      ),
    ).toMatchObject({ ok: true });
    const onPrimary = await runCheck(
      {
        redis: {
          host: '127.0.0.1',
          port: primary.port,
          probe: 'replication',
          expect: { role: 'master', connected_slaves: 1 },
        },
      },
      signal,
    );
    expect(onPrimary).toMatchObject({ ok: true });
  });
});
