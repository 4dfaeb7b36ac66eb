import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabLayout } from './layout.js';
import { readLabState } from './lab-state.js';
import { isAlive, portOpen } from './processes.js';
import { runCheck } from '../execute/checks/registry.js';

export interface ComponentStatus {
  component: string;
  address: string;
  pid: number | null;
  up: boolean;
  detail: string;
}

function pidFile(file: string): number | null {
  try {
    const first = readFileSync(file, 'utf8').split('\n')[0] ?? '';
    return Number(first) || null;
  } catch {
    return null;
  }
}

/** Each component's health, measured with the same checks the runbook uses. */
export async function labStatus(layout: LabLayout): Promise<ComponentStatus[]> {
  const p = layout.ports;
  return Promise.all([
    pgRow('postgres primary', layout.paths.pgPrimary, p.pgPrimary),
    pgRow('postgres replica', layout.paths.pgReplica, p.pgReplica),
    redisRow('redis primary', layout.paths.redisPrimary, p.redisPrimary),
    redisRow('redis replica', layout.paths.redisReplica, p.redisReplica),
    s3Row(layout),
    backendRow(layout),
  ]);
}

const signal = new AbortController().signal;

async function pgRow(component: string, dir: string, port: number): Promise<ComponentStatus> {
  const pid = pidFile(join(dir, 'postmaster.pid'));
  const r = await runCheck(
    {
      timeout: '2s',
      postgres: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', probe: 'in_recovery' },
    },
    signal,
  );
  const detail = r.ok ? (r.fields.in_recovery ? 'replica (in recovery)' : 'primary (read-write)') : 'down';
  return { component, address: `127.0.0.1:${port}`, pid, up: r.ok, detail };
}

async function redisRow(component: string, dir: string, port: number): Promise<ComponentStatus> {
  const pid = pidFile(join(dir, 'redis.pid'));
  const r = await runCheck({ timeout: '2s', redis: { host: '127.0.0.1', port, probe: 'role' } }, signal);
  const detail = r.ok ? `role ${String(r.fields.role)}` : 'down';
  return { component, address: `127.0.0.1:${port}`, pid: isAlive(pid ?? undefined) ? pid : null, up: r.ok, detail };
}

async function s3Row(layout: LabLayout): Promise<ComponentStatus> {
  const state = readLabState(layout);
  const up = await portOpen(layout.ports.s3);
  const base = state?.baseBackup ? `, base backup ${state.baseBackup}` : '';
  return {
    component: 's3 store',
    address: `http://127.0.0.1:${layout.ports.s3}`,
    pid: state?.pids.s3 ?? null,
    up,
    detail: up ? `bucket thebot-backups${base}` : 'down',
  };
}

async function backendRow(layout: LabLayout): Promise<ComponentStatus> {
  const port = layout.ports.backend;
  const health = await runCheck(
    { timeout: '3s', http: { url: `http://127.0.0.1:${port}/api/system/health/`, expect: { status: 200 } } },
    signal,
  );
  const pid = pidFile(join(layout.paths.backend, 'backend.pid'));
  const answer = typeof health.fields.status === 'string' ? health.fields.status : 'no answer';
  return {
    component: 'backend',
    address: `http://127.0.0.1:${port}`,
    pid: isAlive(pid ?? undefined) ? pid : null,
    up: health.ok,
    detail: health.ok ? 'healthy' : existsSync(layout.paths.backend) ? `unhealthy (${answer})` : 'down',
  };
}
