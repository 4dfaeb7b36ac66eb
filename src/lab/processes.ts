import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { Socket } from 'node:net';
import { EnvironmentError } from '../model/errors.js';

/** Starts a long-lived lab process detached from drillbook, output to a log file; returns its pid. */
export function spawnDetached(file: string, args: string[], log: string, env: NodeJS.ProcessEnv = {}): number {
  const fd = openSync(log, 'a');
  try {
    const child = spawn(file, args, { detached: true, stdio: ['ignore', fd, fd], env: { ...process.env, ...env } });
    child.unref();
    if (child.pid === undefined) throw new EnvironmentError(`could not start ${file}`, log);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

export function isAlive(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

export function signal(pid: number | undefined, sig: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, sig);
  } catch {
    // already gone
  }
}

export function portOpen(port: number, host = '127.0.0.1', timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => {
      resolve(false);
    });
    socket.connect(port, host);
  });
}

/** Polls `test` until it holds; fails at the deadline, or at once when `gaveUp` says it never will (its process died). */
export async function waitFor(
  what: string,
  test: () => Promise<boolean>,
  timeoutMs = 30_000,
  gaveUp: () => boolean = () => false,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await test()) return;
    if (gaveUp()) throw new EnvironmentError(`${what} exited before it came up`);
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new EnvironmentError(`${what} did not come up within ${timeoutMs} ms`);
}

export async function waitUntilGone(pid: number | undefined, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}
