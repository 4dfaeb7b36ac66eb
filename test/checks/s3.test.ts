import { createHash } from 'node:crypto';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/execute/checks/registry.js';
import { freePort, startTestS3 } from '../helpers/services.js';

const signal = new AbortController().signal;
const BUCKET = 'thebot-backups';
let server: S3rver;
let endpoint: string;

beforeAll(async () => {
  let client: S3Client;
  ({ server, endpoint, client } = await startTestS3(BUCKET));
  process.env.DRILLBOOK_TEST_S3_KEY = 'S3RVER';
  process.env.DRILLBOOK_TEST_S3_SECRET = 'S3RVER';
  const dump = Buffer.from('-- pg_dump of thebot\n'.repeat(1000));
  const put = (Key: string, Body: Buffer | string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('daily/backup_20251226_010000.dump.gz', Buffer.from('older'));
  await put('daily/backup_20251226_010000.metadata', JSON.stringify({ checksum: 'sha256:0000' }));
  await new Promise((r) => setTimeout(r, 1100));
  await put('daily/backup_20251227_010000.dump.gz', dump);
  await put(
    'daily/backup_20251227_010000.metadata',
    JSON.stringify({
      backup_id: 'backup_20251227_010000',
      checksum: `sha256:${createHash('sha256').update(dump).digest('hex')}`,
      verified: true,
    }),
  );
  await put('corrupt/backup_20251228_010000.dump.gz', Buffer.from('bit rot'));
  await put(
    'corrupt/backup_20251228_010000.metadata',
    JSON.stringify({ checksum: `sha256:${createHash('sha256').update('original').digest('hex')}` }),
  );
  const upper = createHash('sha256').update('upper').digest('hex').toUpperCase();
  await put('cases/upper.dump.gz', Buffer.from('upper'));
  await put('cases/upper.metadata', JSON.stringify({ checksum: `SHA256:${upper}` }));
  await put('cases/bare-upper.dump.gz', Buffer.from('upper'));
  await put('cases/bare-upper.metadata', JSON.stringify({ checksum: ` ${upper} ` }));
  for (const [name, metadata] of [
    ['null', 'null'],
    ['list', '[1, 2]'],
    ['text', '"sha256:abc"'],
  ] as const) {
    await put(`cases/${name}.dump.gz`, Buffer.from(name));
    await put(`cases/${name}.metadata`, metadata);
  }
  client.destroy();
});

afterAll(async () => {
  await server.close();
});

const s3 = (extra: Record<string, unknown>) => ({
  s3: {
    endpoint,
    bucket: BUCKET,
    access_key: 'DRILLBOOK_TEST_S3_KEY',
    secret_key: 'DRILLBOOK_TEST_S3_SECRET',
    ...extra,
  },
});

describe('s3 check against an S3-compatible server on loopback', () => {
  it('newest: the newest backup under a prefix, its age, metadata files ignored', async () => {
    const r = await runCheck(
      s3({
        prefix: 'daily/',
        probe: 'newest',
        expect: { key: 'daily/backup_20251227_010000.dump.gz', age_seconds: { lt: 300 }, count: 2 },
      }),
      signal,
    );
    expect(r).toMatchObject({ ok: true });
    const old = await runCheck(s3({ prefix: 'daily/', probe: 'newest', expect: { age_seconds: { lt: 0 } } }), signal);
    expect(old.ok).toBe(false);
    expect(old.error).toContain('age_seconds expected < 0');
  });

  it('checksum: sha256 of the object matches the .metadata checksum; a corrupt object does not', async () => {
    expect(
      await runCheck(s3({ prefix: 'daily/', probe: 'checksum', expect: { matches: true } }), signal),
    ).toMatchObject({ ok: true });
    const bad = await runCheck(
      s3({ key: 'corrupt/backup_20251228_010000.dump.gz', probe: 'checksum', expect: { matches: true } }),
      signal,
    );
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain('matches expected true (got false)');
  });

  it('exists and count', async () => {
    expect(
      await runCheck(
        s3({ key: 'daily/backup_20251227_010000.dump.gz', probe: 'exists', expect: { exists: true } }),
        signal,
      ),
    ).toMatchObject({ ok: true });
    expect(
      (await runCheck(s3({ key: 'daily/nope.dump.gz', probe: 'exists', expect: { exists: true } }), signal)).ok,
    ).toBe(false);
    expect(
      await runCheck(s3({ prefix: 'daily/', probe: 'count', expect: { count: { ge: 2 } } }), signal),
    ).toMatchObject({ ok: true });
    expect((await runCheck(s3({ prefix: 'weekly/', probe: 'count', expect: { count: { ge: 1 } } }), signal)).ok).toBe(
      false,
    );
  });

  it('an endpoint where nothing listens fails within its deadline; missing credentials fail clearly', async () => {
    const dead = await freePort();
    const t0 = Date.now();
    const r = await runCheck(
      {
        timeout: '2s',
        s3: {
          endpoint: `http://127.0.0.1:${dead}`,
          bucket: BUCKET,
          probe: 'count',
          access_key: 'DRILLBOOK_TEST_S3_KEY',
          secret_key: 'DRILLBOOK_TEST_S3_SECRET',
        },
      },
      signal,
    );
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`127.0.0.1:${dead}`);
    const nocreds = await runCheck(
      { s3: { endpoint, bucket: BUCKET, probe: 'count', access_key: 'NO_SUCH_VAR', secret_key: 'NO_SUCH_VAR_2' } },
      signal,
    );
    expect(nocreds.error).toContain('no S3 credentials: set NO_SUCH_VAR and NO_SUCH_VAR_2');
  });
});

describe('s3 check against a server that accepts and never answers', () => {
  let silent: Server;
  afterAll(() => {
    silent.closeAllConnections();
    silent.close();
  });

  it('fails within its deadline with the endpoint named, and the SDK writes nothing to stderr', async () => {
    silent = createServer(() => undefined);
    const port = await freePort();
    await new Promise<void>((resolve) => silent.listen(port, '127.0.0.1', resolve));
    const written: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    const warn = console.warn;
    process.stderr.write = (chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    };
    console.warn = (...args: unknown[]) => {
      written.push(args.map(String).join(' '));
    };
    try {
      const r = await runCheck(
        {
          timeout: '1s',
          s3: {
            endpoint: `http://127.0.0.1:${port}`,
            bucket: BUCKET,
            probe: 'count',
            access_key: 'DRILLBOOK_TEST_S3_KEY',
            secret_key: 'DRILLBOOK_TEST_S3_SECRET',
          },
        },
        signal,
      );
      expect(r.ok).toBe(false);
      expect(r.error).toContain(`127.0.0.1:${port}`);
      // Whatever the SDK would print about its timeout arrives after the deadline: give it the time.
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      process.stderr.write = write;
      console.warn = warn;
    }
    expect(written).toEqual([]);
  });
});

describe('s3 check: failures that must not pass as data', () => {
  it('exists: a missing bucket fails the probe (NoSuchBucket) instead of reading exists: false', async () => {
    const r = await runCheck(
      s3({
        bucket: 'thebot-backupz',
        key: 'daily/backup_20251227_010000.dump.gz',
        probe: 'exists',
        expect: { exists: false },
      }),
      signal,
    );
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`${endpoint} bucket thebot-backupz: NoSuchBucket`);
    expect(
      await runCheck(s3({ key: 'daily/nope.dump.gz', probe: 'exists', expect: { exists: false } }), signal),
    ).toMatchObject({ ok: true });
  });

  it('checksum: upper-case hex and a SHA256: prefix in the metadata match', async () => {
    const upper = createHash('sha256').update('upper').digest('hex');
    expect(
      await runCheck(
        s3({ key: 'cases/upper.dump.gz', probe: 'checksum', expect: { matches: true, expected: upper } }),
        signal,
      ),
    ).toMatchObject({ ok: true });
    expect(
      await runCheck(s3({ key: 'cases/bare-upper.dump.gz', probe: 'checksum', expect: { matches: true } }), signal),
    ).toMatchObject({ ok: true });
  });

  it('checksum: metadata that is null or not a JSON object fails with a clear reason', async () => {
    for (const [name, holds] of [
      ['null', 'null'],
      ['list', 'an array'],
      ['text', 'a string'],
    ] as const) {
      const r = await runCheck(
        s3({ key: `cases/${name}.dump.gz`, probe: 'checksum', expect: { matches: true } }),
        signal,
      );
      expect(r.ok).toBe(false);
      expect(r.error).toContain(`cases/${name}.metadata holds ${holds}, not a JSON object`);
    }
  });

  it('checksum: metadata that cannot be read (not merely missing) says why, not "no metadata"', async () => {
    const noBucket = await runCheck(
      s3({ bucket: 'thebot-backupz', key: 'daily/backup_20251227_010000.dump.gz', probe: 'checksum' }),
      signal,
    );
    expect(noBucket.error).toContain('cannot read metadata daily/backup_20251227_010000.metadata: NoSuchBucket');
    process.env.DRILLBOOK_TEST_S3_WRONG_KEY = 'NOT-S3RVER';
    const refused = await runCheck(
      s3({ access_key: 'DRILLBOOK_TEST_S3_WRONG_KEY', key: 'daily/backup_20251227_010000.dump.gz', probe: 'checksum' }),
      signal,
    );
    expect(refused.error).toContain(
      'cannot read metadata daily/backup_20251227_010000.metadata: InvalidAccessKeyId: HTTP 403',
    );
    const missing = await runCheck(s3({ key: 'daily/none.dump.gz', probe: 'checksum' }), signal);
    expect(missing.error).toContain(
      'no metadata for daily/none.dump.gz (looked for daily/none.metadata, daily/none.dump.gz.metadata)',
    );
  });
});

describe('s3 check: temporary credentials', () => {
  const seen: IncomingHttpHeaders[] = [];
  let proxy: Server;
  let viaProxy: string;
  const AWS_VARS = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN'] as const;
  const saved = AWS_VARS.map((name) => [name, process.env[name]] as const);

  // A pass-through proxy in front of s3rver, to see the headers the check really sends.
  beforeAll(async () => {
    const target = new URL(endpoint);
    proxy = createServer((req, res) => {
      seen.push(req.headers);
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    const port = await freePort();
    await new Promise<void>((resolve) => {
      proxy.listen(port, '127.0.0.1', resolve);
    });
    viaProxy = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    for (const [name, value] of saved) {
      if (value === undefined) Reflect.deleteProperty(process.env, name);
      else process.env[name] = value;
    }
    await new Promise((resolve) => {
      proxy.close(resolve);
    });
  });

  it('sends AWS_SESSION_TOKEN with the standard AWS variables, and only with them', async () => {
    Object.assign(process.env, {
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_SESSION_TOKEN: 'session-token-123',
    });
    const standard = await runCheck(
      { s3: { endpoint: viaProxy, bucket: BUCKET, prefix: 'daily/', probe: 'count', expect: { count: 2 } } },
      signal,
    );
    expect(standard).toMatchObject({ ok: true });
    expect(seen.map((h) => h['x-amz-security-token'])).toEqual(['session-token-123']);
    seen.length = 0;
    const named = await runCheck(
      {
        s3: {
          endpoint: viaProxy,
          bucket: BUCKET,
          prefix: 'daily/',
          probe: 'count',
          access_key: 'DRILLBOOK_TEST_S3_KEY',
          secret_key: 'DRILLBOOK_TEST_S3_SECRET',
        },
      },
      signal,
    );
    expect(named).toMatchObject({ ok: true });
    expect(seen.map((h) => h['x-amz-security-token'])).toEqual([undefined]);
    seen.length = 0;
    const namedStandard = await runCheck(
      {
        s3: {
          endpoint: viaProxy,
          bucket: BUCKET,
          prefix: 'daily/',
          probe: 'count',
          access_key: 'AWS_ACCESS_KEY_ID',
          secret_key: 'AWS_SECRET_ACCESS_KEY',
        },
      },
      signal,
    );
    expect(namedStandard).toMatchObject({ ok: true });
    expect(seen.map((h) => h['x-amz-security-token'])).toEqual(['session-token-123']);
  });
});
