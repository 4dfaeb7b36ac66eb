import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { BIN, ROOT } from './cli.js';
import { requireService } from './services.js';

const PG_BIN = '/usr/lib/postgresql/15/bin';

export interface ScratchDatabase {
  name: string;
  /** postgres://… of the scratch database (with the instance's password, if any). */
  url: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  drop(): Promise<void>;
}

/** A database of its own on a PostgreSQL instance (the shared one by default), created here and dropped by `drop`. */
export async function scratchDatabase(
  server: { port: number; password?: string } = { port: 5432 },
): Promise<ScratchDatabase> {
  await requireService('PostgreSQL', server.port);
  const name = `drillbook_store_${process.pid}_${randomBytes(4).toString('hex')}`;
  const auth = server.password === undefined ? 'postgres' : `postgres:${server.password}`;
  const admin = new pg.Client({ connectionString: `postgres://${auth}@127.0.0.1:${server.port}/postgres` });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = `postgres://${auth}@127.0.0.1:${server.port}/${name}`;
  return {
    name,
    url,
    async query<T extends pg.QueryResultRow>(sql: string, params?: unknown[]): Promise<T[]> {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        return (await c.query<T>(sql, params)).rows;
      } finally {
        await c.end();
      }
    },
    async drop() {
      const c = new pg.Client({ connectionString: `postgres://${auth}@127.0.0.1:${server.port}/postgres` });
      await c.connect();
      try {
        await c.query(`drop database if exists ${name} with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** A PostgreSQL 15 instance of the test's own, on a loopback port, that the test can stop and start. */
export interface OwnPostgres {
  port: number;
  password: string;
  stop(): void;
  start(): void;
  destroy(): void;
}

function asPostgres(args: string[]): void {
  const r = spawnSync('runuser', ['-u', 'postgres', '--', ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
}

/** initdb in a temp dir the postgres user can use; password authentication over TCP (scram), so bad credentials fail. */
export function ownPostgres(port: number): OwnPostgres {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-store-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const password = `pw-${randomBytes(6).toString('hex')}`;
  const pwfile = join(dir, 'pw');
  writeFileSync(pwfile, `${password}\n`, { mode: 0o644 });
  asPostgres([
    `${PG_BIN}/initdb`,
    '-D',
    data,
    '-U',
    'postgres',
    '--auth-local=trust',
    '--auth-host=scram-sha-256',
    `--pwfile=${pwfile}`,
  ]);
  const start = () => {
    asPostgres([
      `${PG_BIN}/pg_ctl`,
      '-D',
      data,
      '-l',
      join(dir, 'log'),
      '-w',
      '-o',
      `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off`,
      'start',
    ]);
  };
  const stop = () => {
    asPostgres([`${PG_BIN}/pg_ctl`, '-D', data, '-w', '-m', 'immediate', 'stop']);
  };
  start();
  return {
    port,
    password,
    stop,
    start,
    destroy() {
      try {
        stop();
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `drillbook run` started in the background, as a second terminal (or another machine) would. */
export function runInBackground(
  args: string[],
  env: NodeJS.ProcessEnv,
): {
  kill: (signal: NodeJS.Signals) => void;
  done: Promise<{ status: number | null; stdout: string; stderr: string }>;
} {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return {
    kill: (signal) => child.kill(signal),
    done: new Promise((resolve) => {
      child.on('close', (status) => {
        resolve({ status, stdout, stderr });
      });
    }),
  };
}

/** Polls until `ready` holds (a run reached some point), or fails after `timeoutMs`. */
export async function until(ready: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await ready())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
