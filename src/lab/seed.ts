import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { execa } from 'execa';
import pg from 'pg';
import { backupMetadata, backupStamp, backupTime, S3_HISTORY_DAYS, writeLocalBackups } from './backup-history.js';
import type { LabLayout } from './layout.js';
import { PG_BIN } from './postgres-cluster.js';
import { LAB_BUCKET, labS3 } from './s3-client.js';

/** THE_BOT's tables with enough rows that counts and markers mean something. */
const SCHEMA = `
  create table accounts_user (id serial primary key, email text, created_at timestamptz not null default now());
  create table audit_log (id serial primary key, action text not null, timestamp timestamptz not null default now());
  create table materials_material (id serial primary key, title text not null);
  create table chat_message (id serial primary key, body text not null, created_at timestamptz not null default now());
  insert into accounts_user (email, created_at) select 'user' || n || '@thebot.example', now() - interval '1 day' from generate_series(1, 1000) n;
  insert into audit_log (action, timestamp) select 'seed', now() - interval '1 day' from generate_series(1, 100);
  insert into materials_material (title) select 'Material ' || n from generate_series(1, 50) n;
  insert into chat_message (body, created_at) select 'message ' || n, now() - interval '1 day' from generate_series(1, 200) n;
  grant all on all tables in schema public to thebot_user;
  grant all on all sequences in schema public to thebot_user;
`;

export async function seedDatabase(layout: LabLayout): Promise<void> {
  const admin = new pg.Client({
    host: '127.0.0.1',
    port: layout.ports.pgPrimary,
    user: 'postgres',
    database: 'postgres',
  });
  await admin.connect();
  try {
    await admin.query('create role thebot_user login');
    await admin.query('create database thebot owner thebot_user');
  } finally {
    await admin.end();
  }
  const db = new pg.Client({ host: '127.0.0.1', port: layout.ports.pgPrimary, user: 'postgres', database: 'thebot' });
  await db.connect();
  try {
    await db.query(SCHEMA);
  } finally {
    await db.end();
  }
}

/**
 * The backups the runbook restores from, in the seeds' naming with a .metadata (sha256, size, timestamp,
 * retention): a logical full backup (pg_dump, gzipped) under backups/full/ and daily/ in S3 and in the
 * local backup folder, and a physical base backup (pg_basebackup tar) under backups/base/ for point-in-time
 * recovery with the WAL archive. Each place also holds the older backups its retention policy keeps.
 */
export async function uploadBaseBackup(layout: LabLayout, now = new Date()): Promise<string> {
  const stamp = backupStamp(now);
  const id = `backup_${stamp}`;
  const dump = join(layout.paths.work, `${id}.dump.gz`);
  const port = String(layout.ports.pgPrimary);
  await execa('sh', ['-c', `pg_dump -h 127.0.0.1 -p ${port} -U postgres -Fc thebot | gzip > "${dump}"`], {
    stdin: 'ignore',
    timeout: 60_000,
  });
  const baseDir = join(layout.paths.work, `base_${stamp}`);
  await execa(
    join(PG_BIN, 'pg_basebackup'),
    ['-h', '127.0.0.1', '-p', port, '-U', 'postgres', '-D', baseDir, '-Ft', '-z', '-X', 'none', '-c', 'fast'],
    { stdin: 'ignore', timeout: 60_000 },
  );
  const full = readFileSync(dump);
  writeLocalBackups(layout.paths.backups, full, now);
  const client = labS3(layout.ports.s3);
  try {
    for (const days of S3_HISTORY_DAYS) {
      const at = backupTime(now, days);
      await put(client, `backups/full/backup_${backupStamp(at)}`, '.dump.gz', full, 'full', at);
    }
    // The store dates objects to the second: the backup just taken must be the newest of backups/full/.
    await nextSecond();
    for (const prefix of ['backups/full/', 'daily/'])
      await put(client, `${prefix}${id}`, '.dump.gz', full, 'full', now);
    await put(client, `backups/base/base_${stamp}`, '.tar.gz', readFileSync(join(baseDir, 'base.tar.gz')), 'base', now);
  } finally {
    client.destroy();
  }
  return id;
}

function nextSecond(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1000 - (Date.now() % 1000) + 20));
}

async function put(
  client: ReturnType<typeof labS3>,
  stem: string,
  ext: string,
  body: Buffer,
  type: string,
  at: Date,
): Promise<void> {
  const name = stem.split('/').pop() ?? stem;
  await client.send(new PutObjectCommand({ Bucket: LAB_BUCKET, Key: `${stem}${ext}`, Body: body }));
  await client.send(
    new PutObjectCommand({
      Bucket: LAB_BUCKET,
      Key: `${stem}.metadata`,
      Body: backupMetadata(name, `${name}${ext}`, body, type, at),
    }),
  );
}
