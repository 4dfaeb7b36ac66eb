import { createHash } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/execute/checks/registry.js';
import { freePort } from '../helpers/services.js';

const signal = new AbortController().signal;
const BUCKET = 'thebot-backups';
let server: S3rver;
let endpoint: string;

beforeAll(async () => {
  const port = await freePort();
  server = new S3rver({ port, address: '127.0.0.1', silent: true, directory: mkdtempSync(join(tmpdir(), 'drillbook-s3-')), configureBuckets: [{ name: BUCKET }] });
  await server.run();
  endpoint = `http://127.0.0.1:${port}`;
  process.env.DRILLBOOK_TEST_S3_KEY = 'S3RVER';
  process.env.DRILLBOOK_TEST_S3_SECRET = 'S3RVER';
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } });
  const dump = Buffer.from('-- pg_dump of thebot\n'.repeat(1000));
  const put = (Key: string, Body: Buffer | string) => client.send(new PutObjectCommand({ Bucket: BUCKET, Key, Body }));
  await put('daily/backup_20251226_010000.dump.gz', Buffer.from('older'));
  await put('daily/backup_20251226_010000.metadata', JSON.stringify({ checksum: 'sha256:0000' }));
  await new Promise((r) => setTimeout(r, 1100));
  await put('daily/backup_20251227_010000.dump.gz', dump);
  await put('daily/backup_20251227_010000.metadata', JSON.stringify({ backup_id: 'backup_20251227_010000', checksum: `sha256:${createHash('sha256').update(dump).digest('hex')}`, verified: true }));
  await put('corrupt/backup_20251228_010000.dump.gz', Buffer.from('bit rot'));
  await put('corrupt/backup_20251228_010000.metadata', JSON.stringify({ checksum: `sha256:${createHash('sha256').update('original').digest('hex')}` }));
  client.destroy();
});

afterAll(async () => {
  await server.close();
});

const s3 = (extra: Record<string, unknown>) => ({ s3: { endpoint, bucket: BUCKET, access_key: 'DRILLBOOK_TEST_S3_KEY', secret_key: 'DRILLBOOK_TEST_S3_SECRET', ...extra } });

describe('s3 check against an S3-compatible server on loopback', () => {
  it('newest: the newest backup under a prefix, its age, metadata files ignored', async () => {
    const r = await runCheck(s3({ prefix: 'daily/', probe: 'newest', expect: { key: 'daily/backup_20251227_010000.dump.gz', age_seconds: { lt: 300 }, count: 2 } }), signal);
    expect(r).toMatchObject({ ok: true });
    const old = await runCheck(s3({ prefix: 'daily/', probe: 'newest', expect: { age_seconds: { lt: 0 } } }), signal);
    expect(old.ok).toBe(false);
    expect(old.error).toContain('age_seconds expected < 0');
  });

  it('checksum: sha256 of the object matches the .metadata checksum; a corrupt object does not', async () => {
    expect(await runCheck(s3({ prefix: 'daily/', probe: 'checksum', expect: { matches: true } }), signal)).toMatchObject({ ok: true });
    const bad = await runCheck(s3({ key: 'corrupt/backup_20251228_010000.dump.gz', probe: 'checksum', expect: { matches: true } }), signal);
    expect(bad.ok).toBe(false);
    expect(bad.error).toContain('matches expected true (got false)');
  });

  it('exists and count', async () => {
    expect(await runCheck(s3({ key: 'daily/backup_20251227_010000.dump.gz', probe: 'exists', expect: { exists: true } }), signal)).toMatchObject({ ok: true });
    expect((await runCheck(s3({ key: 'daily/nope.dump.gz', probe: 'exists', expect: { exists: true } }), signal)).ok).toBe(false);
    expect(await runCheck(s3({ prefix: 'daily/', probe: 'count', expect: { count: { ge: 2 } } }), signal)).toMatchObject({ ok: true });
    expect((await runCheck(s3({ prefix: 'weekly/', probe: 'count', expect: { count: { ge: 1 } } }), signal)).ok).toBe(false);
  });

  it('an endpoint where nothing listens fails within its deadline; missing credentials fail clearly', async () => {
    const dead = await freePort();
    const t0 = Date.now();
    const r = await runCheck({ timeout: '2s', s3: { endpoint: `http://127.0.0.1:${dead}`, bucket: BUCKET, probe: 'count', access_key: 'DRILLBOOK_TEST_S3_KEY', secret_key: 'DRILLBOOK_TEST_S3_SECRET' } }, signal);
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(r.ok).toBe(false);
    expect(r.error).toContain(`127.0.0.1:${dead}`);
    const nocreds = await runCheck({ s3: { endpoint, bucket: BUCKET, probe: 'count', access_key: 'NO_SUCH_VAR', secret_key: 'NO_SUCH_VAR_2' } }, signal);
    expect(nocreds.error).toContain('no S3 credentials: set NO_SUCH_VAR and NO_SUCH_VAR_2');
  });
});
