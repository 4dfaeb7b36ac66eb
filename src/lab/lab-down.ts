import { existsSync, lstatSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { LabLayout } from './layout.js';
import { readLabState } from './lab-state.js';
import { isAlive, signal, waitUntilGone } from './processes.js';
import { stopNode } from './postgres-cluster.js';

/**
 * Stops every process the lab started (by pid) and removes its files. Safe to run twice. With `keepLogs`
 * (a failed `lab up`) the logs stay where they were, so that the error's "see …" can be read.
 */
export async function labDown(
  layout: LabLayout,
  say: (line: string) => void,
  options: { keepLogs?: boolean } = {},
): Promise<void> {
  const state = readLabState(layout);
  const pids: number[] = [];
  const fromFile = (file: string) => {
    try {
      const pid = Number(readFileSync(file, 'utf8').split('\n')[0]);
      if (pid > 0) pids.push(pid);
    } catch {
      // not running
    }
  };
  if (state?.pids.supervisor) pids.push(state.pids.supervisor);
  fromFile(join(layout.paths.backend, 'supervisor.pid'));
  fromFile(join(layout.paths.backend, 'backend.pid'));
  for (const dir of [layout.paths.redisPrimary, layout.paths.redisReplica, join(layout.dir, 'redis', 'dr-region')])
    fromFile(join(dir, 'redis.pid'));
  if (state?.pids.s3) pids.push(state.pids.s3);
  for (const dir of clusterDirs(layout)) {
    if (existsSync(join(dir, 'postmaster.pid'))) {
      await stopNode({ dir, port: 0, log: '' }, 'immediate');
      fromFile(join(dir, 'postmaster.pid'));
    }
  }
  for (const pid of new Set(pids)) signal(pid, 'SIGTERM');
  for (const pid of new Set(pids)) {
    await waitUntilGone(pid, 5_000);
    if (isAlive(pid)) signal(pid, 'SIGKILL');
  }
  if (existsSync(layout.dir) && options.keepLogs === true) {
    removeAllButLogs(layout.dir);
  } else if (existsSync(layout.dir)) {
    rmSync(layout.dir, { recursive: true, force: true });
    say(`lab in ${layout.dir} stopped and removed`);
  } else {
    say('no lab running');
  }
}

/** Every PostgreSQL data directory under the lab, including ones recovery steps created. */
function clusterDirs(layout: LabLayout): string[] {
  const root = join(layout.dir, 'postgres');
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .map((name) => join(root, name))
    .filter((dir) => existsSync(join(dir, 'PG_VERSION')));
}

/** Removes every file under `dir` but the `*.log` ones, and the folders left empty. */
function removeAllButLogs(dir: string): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (lstatSync(path).isDirectory()) {
      removeAllButLogs(path);
      if (readdirSync(path).length === 0) rmSync(path, { recursive: true, force: true });
    } else if (!name.endsWith('.log')) {
      rmSync(path, { force: true });
    }
  }
}
