import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { runCheck } from '../../src/execute/checks/registry.js';
import { startRedis, stopRedis, type RedisNode } from '../../src/lab/redis-node.js';
import { freePort } from '../helpers/services.js';

const signal = new AbortController().signal;
const PASSWORD = 'correct-horse-battery';
const PASSWORD_VAR = 'DRILLBOOK_TEST_REDIS_PASSWORD';
let secured: RedisNode;
let open: RedisNode;

beforeAll(async () => {
  const base = mkdtempSync(join(tmpdir(), 'drillbook-redis-conn-'));
  secured = await startRedis(join(base, 'secured'), await freePort());
  open = await startRedis(join(base, 'open'), await freePort());
  await waitForPong(secured.port);
  await waitForPong(open.port);
  const admin = new Redis({ host: '127.0.0.1', port: secured.port });
  await admin.select(1);
  await admin.set('only-in-db-1', 'one');
  // An ACL user that may not run INFO: the client's own ready check warns about it on stderr.
  await admin.call('ACL', 'SETUSER', 'checker', 'on', `>${PASSWORD}`, '~*', '+@all', '-info');
  await admin.config('SET', 'requirepass', PASSWORD);
  admin.disconnect();
});

afterAll(() => {
  stopRedis(secured);
  stopRedis(open);
});

afterEach(() => {
  delete process.env.DRILLBOOK_TEST_REDIS_PASSWORD;
  vi.restoreAllMocks();
});

async function waitForPong(port: number): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const client = new Redis({ host: '127.0.0.1', port, lazyConnect: true, retryStrategy: () => null });
    client.on('error', () => undefined);
    const ok = await client.connect().then(
      () => client.ping(),
      () => undefined,
    );
    client.disconnect();
    if (ok === 'PONG') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`redis on port ${port} did not answer`);
}

const at = (port: number, extra: Record<string, unknown> = {}) => ({
  redis: { host: '127.0.0.1', port, probe: 'ping' as const, ...extra },
});

describe('redis check: why it could not connect', () => {
  it('names a refused port and an unknown host', async () => {
    const dead = await freePort();
    const refused = await runCheck({ timeout: '2s', ...at(dead) }, signal);
    expect(refused.error).toContain(`127.0.0.1:${dead}: cannot connect (`);
    expect(refused.error).toContain('ECONNREFUSED');
    const unknown = await runCheck({ timeout: '5s', redis: { host: 'no-such-host.invalid', port: 6379 } }, signal);
    expect(unknown.ok).toBe(false);
    expect(unknown.error).toContain('ENOTFOUND');
  });

  it('names a wrong password (WRONGPASS) and a missing one (NOAUTH) without printing the password', async () => {
    process.env.DRILLBOOK_TEST_REDIS_PASSWORD = 'not-the-password';
    const wrong = await runCheck(at(secured.port, { password: PASSWORD_VAR }), signal);
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toContain('WRONGPASS');
    expect(wrong.error).not.toContain('not-the-password');
    const missing = await runCheck(at(secured.port), signal);
    expect(missing.error).toContain(`127.0.0.1:${secured.port}: cannot connect (`);
    expect(missing.error).toContain('NOAUTH');
    const inUrl = await runCheck(
      { redis: { url: `redis://:url-secret-pw@127.0.0.1:${secured.port}`, probe: 'ping' } },
      signal,
    );
    expect(inUrl.error).toContain('WRONGPASS');
    expect(inUrl.error).not.toContain('url-secret-pw');
    process.env.DRILLBOOK_TEST_REDIS_PASSWORD = PASSWORD;
    expect(
      await runCheck(at(secured.port, { password: PASSWORD_VAR, expect: { pong: 'PONG' } }), signal),
    ).toMatchObject({ ok: true });
  });
});

describe('redis check: db', () => {
  it('reads the database it names, from db or from the URL path', async () => {
    process.env.DRILLBOOK_TEST_REDIS_PASSWORD = PASSWORD;
    const inDb1 = { probe: 'key' as const, key: 'only-in-db-1', expect: { value: 'one' } };
    expect(await runCheck(at(secured.port, { password: PASSWORD_VAR, db: 1, ...inDb1 }), signal)).toMatchObject({
      ok: true,
    });
    expect(
      await runCheck({ redis: { url: `redis://:${PASSWORD}@127.0.0.1:${secured.port}/1`, ...inDb1 } }, signal),
    ).toMatchObject({ ok: true });
  });

  it('fails on a db the server refuses instead of reading database 0', async () => {
    const r = await runCheck(at(open.port, { db: 99, probe: 'dbsize' }), signal);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`127.0.0.1:${open.port}: cannot select db 99 (ERR DB index is out of range)`);
  });
});

describe('redis check: url', () => {
  it('refuses query parameters, which would override its deadline, retries or address', async () => {
    const r = await runCheck(
      { redis: { url: `redis://127.0.0.1?port=${open.port}&connectTimeout=600000`, probe: 'ping' } },
      signal,
    );
    expect(r.ok).toBe(false);
    expect(r.error).toContain('query parameters (port, connectTimeout)');
  });

  it('names the address it connects to: port from the options, host 127.0.0.1 when none is given', async () => {
    const fromOptions = await runCheck(
      { redis: { url: 'redis://127.0.0.1', port: open.port, probe: 'ping', expect: { pong: 'PONG' } } },
      signal,
    );
    expect(fromOptions).toMatchObject({ ok: true, description: `Redis 127.0.0.1:${open.port}: PING` });
    const noHost = await runCheck({ redis: { port: open.port, probe: 'ping', expect: { pong: 'PONG' } } }, signal);
    expect(noHost).toMatchObject({ ok: true, description: `Redis 127.0.0.1:${open.port}: PING` });
    const dead = await freePort();
    const refused = await runCheck({ timeout: '2s', redis: { url: 'redis://127.0.0.1', port: dead } }, signal);
    expect(refused.error).toContain(`127.0.0.1:${dead}: cannot connect (`);
  });
});

describe('redis check: client output', () => {
  it('writes nothing to stderr for a password the server does not need, or a user without INFO', async () => {
    const writes: string[] = [];
    vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      writes.push(String(chunk));
      return true;
    });
    for (const method of ['warn', 'error', 'log'] as const) {
      vi.spyOn(console, method).mockImplementation((...args: unknown[]) => {
        writes.push(args.map(String).join(' '));
      });
    }
    process.env.DRILLBOOK_TEST_REDIS_PASSWORD = 'unneeded';
    const unneeded = await runCheck(at(open.port, { password: PASSWORD_VAR, expect: { pong: 'PONG' } }), signal);
    const noInfo = await runCheck(
      {
        redis: {
          url: `redis://checker:${PASSWORD}@127.0.0.1:${secured.port}`,
          probe: 'role',
          expect: { role: 'master' },
        },
      },
      signal,
    );
    vi.restoreAllMocks();
    expect(unneeded).toMatchObject({ ok: true });
    expect(noInfo).toMatchObject({ ok: true });
    expect(writes).toEqual([]);
  });
});
