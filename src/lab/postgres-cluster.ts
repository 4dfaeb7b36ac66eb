import { chownSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { execFileSync } from 'node:child_process';
import { EnvironmentError } from '../model/errors.js';

export const PG_BIN = process.env.DRILLBOOK_PG_BIN ?? '/usr/lib/postgresql/15/bin';

/** PostgreSQL refuses to run as root: as root, cluster commands run as the postgres user. */
export function pgCommand(tool: string, args: string[]): [string, string[]] {
  const file = join(PG_BIN, tool);
  return process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
}

/** Runs a PostgreSQL tool; a failure names the tool, its last lines of output and `log` if it wrote one. */
async function pg(tool: string, args: string[], log?: string, timeoutMs = 120_000): Promise<string> {
  const [file, argv] = pgCommand(tool, args);
  const result = await execa(file, argv, { reject: false, stdin: 'ignore', all: true, timeout: timeoutMs });
  if (result.exitCode !== 0) {
    const why = result.timedOut
      ? `did not finish within ${timeoutMs / 1000} s`
      : `failed (exit ${result.exitCode ?? 'none'})`;
    throw new EnvironmentError(`${tool} ${why}: ${(result.all ?? '').trim().split('\n').slice(-3).join(' | ')}`, log);
  }
  return result.stdout;
}

export interface PgNode {
  dir: string;
  port: number;
  log: string;
}

/** A directory the postgres user owns (the cluster's data directory must be). */
export function ownedDir(dir: string): string {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** initdb a primary with streaming replication and WAL archiving by `archiveCommand` (%p, %f as PostgreSQL's). */
export async function initPrimary(dir: string, port: number, archiveCommand: string): Promise<PgNode> {
  // A log kept from a failed `lab up` must not be read as this cluster's (see archiving.ts).
  rmSync(`${dir}.log`, { force: true });
  ownedDir(dirname(dir));
  ownedDir(dir);
  await pg('initdb', ['-D', dir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  const conf = [
    `listen_addresses = '127.0.0.1'`,
    `port = ${port}`,
    `unix_socket_directories = '${dir}'`,
    `wal_level = replica`,
    `archive_mode = on`,
    `archive_command = '${archiveCommand.replace(/'/g, "''")}'`,
    `archive_timeout = 5`,
    `max_wal_senders = 10`,
    `wal_keep_size = 128MB`,
    `hot_standby = on`,
    `fsync = off`,
    `full_page_writes = on`,
  ].join('\n');
  writeFileSync(join(dir, 'postgresql.auto.conf'), `${conf}\n`, { flag: 'a' });
  return { dir, port, log: `${dir}.log` };
}

/** pg_basebackup -R: a streaming replica of the primary, configured to follow it. */
export async function initReplica(dir: string, port: number, primaryPort: number): Promise<PgNode> {
  rmSync(`${dir}.log`, { force: true });
  ownedDir(dirname(dir));
  ownedDir(dir);
  await pg(
    'pg_basebackup',
    ['-h', '127.0.0.1', '-p', String(primaryPort), '-U', 'postgres', '-D', dir, '-R', '-X', 'stream', '-c', 'fast'],
    undefined,
    60_000,
  );
  writeFileSync(join(dir, 'postgresql.auto.conf'), `port = ${port}\nunix_socket_directories = '${dir}'\n`, {
    flag: 'a',
  });
  return { dir, port, log: `${dir}.log` };
}

export async function startNode(node: PgNode): Promise<void> {
  await pg('pg_ctl', ['-D', node.dir, '-l', node.log, '-w', '-t', '30', 'start'], node.log);
}

export async function stopNode(node: PgNode, mode: 'fast' | 'immediate' = 'fast'): Promise<void> {
  await pg('pg_ctl', ['-D', node.dir, '-m', mode, '-w', '-t', '60', 'stop']).catch(() => undefined);
}
