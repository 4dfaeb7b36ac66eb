import { createHash } from 'node:crypto';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The lab's backup history: what a platform that kept its retention policy would hold, so that the
 * runbook's retention checks pass in a drill. Every backup is the lab's real dump (it restores), dated
 * by its name, its .metadata timestamp and, on disk, its modification time.
 */

const DAY_MS = 86_400_000;

/** The seeds' local policy (000: daily/ 7 kept, weekly/ 4, monthly/ 12); the newest daily is the backup just taken. */
export const LOCAL_HISTORY: { folder: string; ageDays: number; retention: string }[] = [
  ...[1, 2, 3, 4, 5, 6].map((d) => ({ folder: 'daily', ageDays: d, retention: '7_days' })),
  ...[3.5, 10.5, 17.5, 24.5].map((d) => ({ folder: 'weekly', ageDays: d, retention: '4_weeks' })),
  ...Array.from({ length: 12 }, (_, k) => ({ folder: 'monthly', ageDays: 30 * k + 29, retention: '12_months' })),
];

/** S3 keeps 30 days (seed 003): older full backups, one a day for a week and one a week for four. */
export const S3_HISTORY_DAYS = [1, 2, 3, 4, 5, 6, 10.5, 17.5, 24.5];

export function backupStamp(at: Date): string {
  return at.toISOString().replace(/[-:]/g, '').replace('T', '_').slice(0, 15);
}

export function backupTime(now: Date, ageDays: number): Date {
  return new Date(now.getTime() - ageDays * DAY_MS);
}

/** The seeds' metadata format for one backup file. */
export function backupMetadata(
  id: string,
  file: string,
  body: Buffer,
  type: string,
  at: Date,
  retention = '7_days',
): string {
  return JSON.stringify(
    {
      backup_id: id,
      type,
      service: 'postgresql',
      timestamp: at.toISOString(),
      size_bytes: body.length,
      files: [file],
      checksum: `sha256:${createHash('sha256').update(body).digest('hex')}`,
      verified: true,
      retention,
      restorability: 'VERIFIED',
    },
    null,
    2,
  );
}

/** /backups as the seed lays it out: daily/, weekly/, monthly/, each backup beside its .metadata. */
export function writeLocalBackups(dir: string, dump: Buffer, now: Date): void {
  const all = [{ folder: 'daily', ageDays: 0, retention: '7_days' }, ...LOCAL_HISTORY];
  for (const b of all) {
    const at = backupTime(now, b.ageDays);
    const id = `backup_${backupStamp(at)}`;
    const folder = join(dir, b.folder);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, `${id}.dump.gz`);
    const metadata = join(folder, `${id}.metadata`);
    writeFileSync(file, dump);
    writeFileSync(metadata, backupMetadata(id, `${id}.dump.gz`, dump, 'full', at, b.retention));
    for (const f of [file, metadata]) utimesSync(f, at, at);
  }
}
