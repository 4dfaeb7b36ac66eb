/**
 * Keeps the lab backend running the way Kubernetes keeps a pod: a crashed backend is restarted
 * after a back-off; SIGHUP is a rollout restart (stop, start with the current config).
 * Usage: node supervisor.js DIR PORT
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, existsSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const [dir = '.', port = '25480'] = process.argv.slice(2);
const BACKOFF_MS = Number(process.env.DRILLBOOK_LAB_BACKOFF_MS ?? 10_000);
const server = fileURLToPath(new URL('./backend-server.js', import.meta.url));
const logFile = join(dir, 'backend.log');
let child: ChildProcess | undefined;
let stopping = false;
let restarts = 0;
let pending: NodeJS.Timeout | undefined;

function start(): void {
  // The previous container's log stays readable (kubectl logs --previous).
  if (existsSync(logFile)) renameSync(logFile, join(dir, 'backend.previous.log'));
  writeFileSync(logFile, '');
  child = spawn(process.execPath, [server, dir, port], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => {
    appendFileSync(logFile, d);
  });
  child.stderr?.on('data', (d: Buffer) => {
    appendFileSync(logFile, d);
  });
  writeFileSync(join(dir, 'backend.pid'), String(child.pid ?? ''));
  writeFileSync(join(dir, 'restarts'), String(restarts));
  child.on('exit', (code, sig) => {
    appendFileSync(join(dir, 'events.log'), `${new Date().toISOString()} backend exited (${sig ?? code ?? ''})\n`);
    child = undefined;
    if (stopping) return;
    restarts += 1;
    pending = setTimeout(() => {
      pending = undefined;
      start();
    }, BACKOFF_MS);
  });
}

process.on('SIGHUP', () => {
  clearTimeout(pending);
  pending = undefined;
  if (child) {
    const old = child;
    old.removeAllListeners('exit');
    old.on('exit', () => {
      child = undefined;
      restarts += 1;
      start();
    });
    old.kill('SIGTERM');
  } else {
    start();
  }
});
process.on('SIGTERM', () => {
  stopping = true;
  child?.kill('SIGTERM');
  setTimeout(() => process.exit(0), 200);
});
start();
