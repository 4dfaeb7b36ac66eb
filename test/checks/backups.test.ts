import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import S3rver from 's3rver';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook, drillbookAsync } from '../helpers/cli.js';
import { onlyRunDir, reportOf, runFile, workspace, type Workspace } from '../helpers/runs.js';
import { startTestS3 } from '../helpers/services.js';

const FIXTURE = 'test/fixtures/run/backups.yaml';
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** A backup in the seeds' naming, and its .metadata (sha256, size_bytes, timestamp, retention). */
interface Backup {
  folder: string;
  ageMs: number;
  body?: Buffer;
}

function stamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

function metadataOf(id: string, body: Buffer, at: Date): string {
  return JSON.stringify({
    backup_id: id,
    type: 'full',
    service: 'postgresql',
    timestamp: at.toISOString(),
    size_bytes: body.length,
    files: [`${id}.dump.gz`],
    checksum: `sha256:${createHash('sha256').update(body).digest('hex')}`,
    verified: true,
    retention: '7_days',
    restorability: 'VERIFIED',
  });
}

/** Writes a backup and its metadata under root, both dated ageMs ago; returns the backup's path. */
function writeBackup(root: string, b: Backup): string {
  const at = new Date(Date.now() - b.ageMs);
  const id = `backup_${stamp(at)}`;
  const body = b.body ?? Buffer.from(`-- pg_dump ${id}\n`.repeat(200));
  mkdirSync(join(root, b.folder), { recursive: true });
  const file = join(root, b.folder, `${id}.dump.gz`);
  const meta = join(root, b.folder, `${id}.metadata`);
  writeFileSync(file, body);
  writeFileSync(meta, metadataOf(id, body, at));
  for (const f of [file, meta]) utimesSync(f, at, at);
  return file;
}

/**
 * The seeds' policy kept exactly: 7 daily backups (one per day), 4 weekly (one per week), 12 monthly
 * (one per 30 days), each well inside its window so that the seconds a test takes move nothing.
 */
const HISTORY: Backup[] = [
  ...Array.from({ length: 7 }, (_, i) => ({ folder: 'daily', ageMs: i * DAY + HOUR })),
  ...Array.from({ length: 4 }, (_, j) => ({ folder: 'weekly', ageMs: (7 * j + 3.5) * DAY })),
  ...Array.from({ length: 12 }, (_, k) => ({ folder: 'monthly', ageMs: (30 * k + 29) * DAY })),
];
/** One backup left out of each window: no other backup covers its day, week or month. */
const SHORT = {
  daily: (b: Backup) => b.folder === 'daily' && b.ageMs === 5 * DAY + HOUR,
  weekly: (b: Backup) => b.folder === 'weekly' && b.ageMs === 17.5 * DAY,
  monthly: (b: Backup) => b.folder === 'monthly' && b.ageMs === 179 * DAY,
};
const UNIT = { daily: 'days', weekly: 'weeks', monthly: 'months' };
const WANT = { daily: 7, weekly: 4, monthly: 12 };

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function run(ws: Workspace, incident: string, extra: string[] = []) {
  const r = runFile(ws, FIXTURE, incident, ['--mode', 'auto', ...extra]);
  const report = reportOf(onlyRunDir(ws));
  return { ...r, report, step: (id: string) => report.steps.find((s) => s.id === id) };
}

describe('file check: the newest backup against max_age, min_size and its metadata (drillbook run)', () => {
  it('passes a good backup and says which file, its age, its size and that the checksum is ok', () => {
    const ws = workspace();
    const file = writeBackup(ws.dir, { folder: 'daily', ageMs: 2 * HOUR });
    writeBackup(ws.dir, { folder: 'daily', ageMs: 25 * HOUR });
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('ok verify-backup');
    expect(r.stdout).toMatch(
      new RegExp(`\\| ${escape(file)}, 2h00m(\\d\\ds)? old, 6\\.\\d KB, checksum ok \\(newest of 2 matches\\)`),
    );
    const step = r.step('verify-backup');
    expect(step?.status).toBe('passed');
    expect(step?.fields).toMatchObject({ path: file, count: 2, checksum: 'ok' });
    expect(r.step('after-verify')?.status).toBe('passed');
  });

  it('fails a tampered backup (same size, other bytes): checksum mismatch, and the next step never runs', () => {
    const ws = workspace();
    const file = writeBackup(ws.dir, { folder: 'daily', ageMs: HOUR });
    const bytes = readFileSync(file);
    bytes[100] = (bytes[100] ?? 0) ^ 0xff;
    writeFileSync(file, bytes);
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(1);
    const line = r.stdout.split('\n').find((l) => l.includes('FAIL verify-backup')) ?? '';
    expect(line).toContain(`${file}: checksum mismatch: sha256 `);
    expect(line).toContain('.metadata records ');
    const step = r.step('verify-backup');
    expect(step?.status).toBe('failed');
    expect(step?.output).toContain('checksum mismatch');
    expect(r.step('after-verify')?.status ?? 'never ran').not.toBe('passed');
    expect(r.stdout).toContain('Verdict: FAILED at step "verify-backup"');
    // The report says which file it was, its age and size, and that its checksum did not match.
    const report = drillbook(['report', 'latest', '--format', 'markdown'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(report.stdout).toMatch(new RegExp(`^${escape(file)}, [\\dhms.]+ old, 6\\.\\d KB, checksum mismatch$`, 'm'));
  });

  it('fails a backup older than max_age, naming its age', () => {
    const ws = workspace();
    const file = writeBackup(ws.dir, { folder: 'daily', ageMs: 30 * HOUR });
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(/FAIL verify-backup: .*is 30h00m(\d\ds)? old, over max_age 26h/);
    expect(r.step('verify-backup')?.error).toContain(`${file} is 30h00m`);
  });

  it('fails when the glob matches nothing', () => {
    const ws = workspace();
    mkdirSync(join(ws.dir, 'daily'));
    writeFileSync(join(ws.dir, 'daily', 'backup_20251227_010000.metadata'), '{}');
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(1);
    expect(r.stdout).toContain(`FAIL verify-backup`);
    expect(r.step('verify-backup')?.error).toBe(
      `newest file matching ${ws.dir}/daily/backup_*.dump.gz: no file matches ${ws.dir}/daily/backup_*.dump.gz`,
    );
    expect(r.step('verify-backup')?.output).toContain('no file matched');
  });

  it('fails a backup under min_size even when its metadata agrees', () => {
    const ws = workspace();
    const file = writeBackup(ws.dir, { folder: 'daily', ageMs: HOUR, body: Buffer.from('x'.repeat(100)) });
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(1);
    expect(r.step('verify-backup')?.error).toContain(`${file} is 100 B, under min_size 1KB`);
    expect(r.step('verify-backup')?.fields).toMatchObject({ checksum: 'ok', size: 100 });
  });

  it('fails a backup whose metadata records another size', () => {
    const ws = workspace();
    const file = writeBackup(ws.dir, { folder: 'daily', ageMs: HOUR });
    const meta = file.replace('.dump.gz', '.metadata');
    const body = Buffer.from(`-- pg_dump x\n`.repeat(200));
    writeFileSync(file, body);
    writeFileSync(meta, metadataOf('x', body, new Date()).replace(/"size_bytes":\d+/, '"size_bytes":1'));
    const r = run(ws, 'INC-301');
    expect(r.status).toBe(1);
    expect(r.step('verify-backup')?.error).toContain(`${file}: size mismatch: ${body.length} bytes,`);
  });
});

describe('retention probe on files', () => {
  it('holds for the seeds policy kept exactly (7 daily, 4 weekly, 12 monthly)', () => {
    const ws = workspace();
    for (const b of HISTORY) writeBackup(ws.dir, b);
    const r = run(ws, 'INC-302');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('23 backup(s); 7/7 days, 4/4 weeks, 12/12 months');
    expect(r.step('retention')?.fields).toMatchObject({ count: 23, daily: 7, weekly: 4, monthly: 12 });
  });

  it.each(['daily', 'weekly', 'monthly'] as const)('fails a %s window short by exactly one, naming it', (window) => {
    const ws = workspace();
    for (const b of HISTORY.filter((h) => !SHORT[window](h))) writeBackup(ws.dir, b);
    const r = run(ws, 'INC-302');
    expect(r.status).toBe(1);
    const error = r.step('retention')?.error ?? '';
    expect(error).toBe(
      `backup retention of files matching ${ws.dir}/*/backup_*.dump.gz: ${window} window short by 1: ${WANT[window] - 1} of the last ${WANT[window]} ${UNIT[window]} have a backup`,
    );
    expect(r.stdout).toContain(`FAIL retention`);
  });

  it('counts a backup without metadata at its modification time', () => {
    const ws = workspace();
    for (const b of HISTORY) rmSync(writeBackup(ws.dir, b).replace('.dump.gz', '.metadata'));
    const r = run(ws, 'INC-302');
    expect(r.status).toBe(0);
    expect(r.step('retention')?.fields).toMatchObject({ daily: 7, weekly: 4, monthly: 12 });
  });

  it("takes the runbook's own policy, with ** across folders and a window turned off", () => {
    const ws = workspace();
    for (const b of HISTORY.filter((h) => h.folder !== 'monthly')) writeBackup(join(ws.dir, 'deep'), b);
    expect(run(ws, 'INC-304').status).toBe(0);
    const short = workspace();
    writeBackup(join(short.dir, 'deep'), { folder: 'daily', ageMs: HOUR });
    writeBackup(join(short.dir, 'deep'), { folder: 'daily', ageMs: DAY + HOUR });
    const r = run(short, 'INC-304');
    expect(r.status).toBe(1);
    expect(r.step('retention')?.error).toContain(
      'daily window short by 1: 2 of the last 3 days have a backup; weekly window short by 1: 1 of the last 2 weeks have a backup',
    );
    expect(r.step('retention')?.error).not.toContain('monthly');
  });
});

describe('retention probe on an S3 prefix (the S3 test server)', () => {
  let server: S3rver;
  let endpoint: string;
  const BUCKET = 'thebot-backups';
  const ENV = { DRILLBOOK_TEST_S3_KEY: 'S3RVER', DRILLBOOK_TEST_S3_SECRET: 'S3RVER' };

  beforeAll(async () => {
    let client: S3Client;
    ({ server, endpoint, client } = await startTestS3(BUCKET));
    // Every object is uploaded now: only the metadata's timestamp says when each backup was taken.
    const upload = async (prefix: string, backups: Backup[]) => {
      for (const b of backups) {
        const at = new Date(Date.now() - b.ageMs);
        const id = `backup_${stamp(at)}`;
        const body = Buffer.from(`-- pg_dump ${id}\n`);
        const key = `${prefix}${b.folder}/${id}`;
        await client.send(new PutObjectCommand({ Bucket: BUCKET, Key: `${key}.dump.gz`, Body: body }));
        await client.send(
          new PutObjectCommand({ Bucket: BUCKET, Key: `${key}.metadata`, Body: metadataOf(id, body, at) }),
        );
      }
    };
    await upload('kept/', HISTORY);
    for (const window of ['daily', 'weekly', 'monthly'] as const)
      await upload(
        `short-${window}/`,
        HISTORY.filter((h) => !SHORT[window](h)),
      );
    client.destroy();
  });

  afterAll(async () => {
    await server.close();
  });

  const s3Run = async (prefix: string) => {
    const ws = workspace();
    const r = await drillbookAsync(
      [
        'run',
        'INC-303',
        '-f',
        FIXTURE,
        '--mode',
        'auto',
        '--renderer',
        'plain',
        '--var',
        `s3.endpoint=${endpoint}`,
        '--var',
        `s3.prefix=${prefix}`,
      ],
      { env: { DRILLBOOK_HOME: ws.home, ...ENV } },
    ).done;
    const report = reportOf(onlyRunDir(ws));
    return { ...r, step: report.steps.find((s) => s.id === 'retention') };
  };

  it('holds for the seeds policy kept exactly, counting each backup at its metadata timestamp', async () => {
    const r = await s3Run('kept/');
    expect(r.status).toBe(0);
    expect(r.step?.fields).toMatchObject({ count: 23, daily: 7, weekly: 4, monthly: 12 });
    expect(r.stdout).toContain('23 backup(s); 7/7 days, 4/4 weeks, 12/12 months');
  });

  it.each(['daily', 'weekly', 'monthly'] as const)(
    'fails a %s window short by exactly one, naming it',
    async (window) => {
      const r = await s3Run(`short-${window}/`);
      expect(r.status).toBe(1);
      expect(r.step?.error).toBe(
        `S3 backup retention under s3://${BUCKET}/short-${window}/ at ${endpoint}: ${window} window short by 1: ${WANT[window] - 1} of the last ${WANT[window]} ${UNIT[window]} have a backup`,
      );
    },
  );

  it('counts nothing under an empty prefix: every window short by all of it', async () => {
    const r = await s3Run('nothing/');
    expect(r.status).toBe(1);
    expect(r.step?.error).toContain('daily window short by 7: 0 of the last 7 days have a backup');
    expect(r.step?.error).toContain('monthly window short by 12');
  });
});
