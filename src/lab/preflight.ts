import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, dirname, join } from 'node:path';
import { EnvironmentError } from '../model/errors.js';
import type { LabLayout } from './layout.js';
import { PG_BIN } from './postgres-cluster.js';

/** What `lab up` needs from the machine, each with where it comes from. */
const PG_TOOLS = ['initdb', 'pg_ctl', 'pg_basebackup', 'postgres'];
const PATH_TOOLS: Record<string, string> = {
  'redis-server': 'apt-get install redis-server',
  pg_dump: 'apt-get install postgresql-client',
  gzip: 'apt-get install gzip',
};

/**
 * Checks, before anything starts, what would otherwise fail half-way: a missing binary, and (as root, where
 * PostgreSQL runs as the postgres user) a lab folder that user cannot reach.
 */
export function preflight(layout: LabLayout): void {
  const missingPg = PG_TOOLS.filter((tool) => !executable(join(PG_BIN, tool)));
  if (missingPg.length > 0)
    throw new EnvironmentError(
      `PostgreSQL binaries missing in ${PG_BIN}: ${missingPg.join(', ')} (install postgresql-15, or set DRILLBOOK_PG_BIN to their folder)`,
    );
  const tools: Record<string, string> = {
    ...PATH_TOOLS,
    ...(asRoot() ? { runuser: 'apt-get install util-linux' } : {}),
  };
  const missing = Object.keys(tools).filter((tool) => onPath(tool) === undefined);
  if (missing.length > 0)
    throw new EnvironmentError(`not found on PATH: ${missing.map((t) => `${t} (${tools[t] ?? ''})`).join(', ')}`);
  if (asRoot()) checkReachable(layout.dir);
}

export function asRoot(): boolean {
  return process.getuid?.() === 0;
}

export function onPath(tool: string): string | undefined {
  return (process.env.PATH ?? '')
    .split(delimiter)
    .filter(Boolean)
    .map((dir) => join(dir, tool))
    .find(executable);
}

function executable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The postgres user must enter every folder above its data directories; name the first it cannot. */
function checkReachable(dir: string): void {
  const ancestors: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(d)) ancestors.push(d);
    if (dirname(d) === d) break;
  }
  const deepest = ancestors[0];
  if (deepest === undefined || canEnter(deepest)) return;
  const blocking = [...ancestors].reverse().find((d) => !canEnter(d)) ?? deepest;
  throw new EnvironmentError(
    `the postgres user (which runs the lab's PostgreSQL) cannot enter ${blocking}, so it cannot reach the lab folder ${dir}; put the lab where other users can enter (e.g. --dir /tmp/drillbook-lab), or allow it (chmod o+x ${blocking})`,
  );
}

function canEnter(dir: string): boolean {
  return spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dir], { stdio: 'ignore' }).status === 0;
}
