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
  const state = readLabState(layout);
  const signal = new AbortController().signal;
  const p = layout.ports;
  const pgRow = async (component: string, dir: string, port: number): Promise<ComponentStatus> => {
    const pid = pidFile(join(dir, 'postmaster.pid'));
    const r = await runCheck(
      {
        timeout: '2s',
        postgres: { host: '127.0.0.1', port, user: 'postgres', database: 'postgres', probe: 'in_recovery' },
      },
      signal,
    );
    return {
      component,
      address: `127.0.0.1:${port}`,
      pid,
      up: r.ok,
      detail: r.ok ? (r.fields.in_recovery ? 'replica (in recovery)' : 'primary (read-write)') : 'down',
    };
  };
  const redisRow = async (component: string, dir: string, port: number): Promise<ComponentStatus> => {
    const pid = pidFile(join(dir, 'redis.pid'));
    const r = await runCheck({ timeout: '2s', redis: { host: '127.0.0.1', port, probe: 'role' } }, signal);
    return {
      component,
      address: `127.0.0.1:${port}`,
      pid: isAlive(pid ?? undefined) ? pid : null,
      up: r.ok,
      detail: r.ok ? `role ${String(r.fields.role)}` : 'down',
    };
  };
  const health = await runCheck(
    { timeout: '3s', http: { url: `http://127.0.0.1:${p.backend}/api/system/health/`, expect: { status: 200 } } },
    signal,
  );
  const backendPid = pidFile(join(layout.paths.backend, 'backend.pid'));
  const rows = await Promise.all([
    pgRow('postgres primary', layout.paths.pgPrimary, p.pgPrimary),
    pgRow('postgres replica', layout.paths.pgReplica, p.pgReplica),
    redisRow('redis primary', layout.paths.redisPrimary, p.redisPrimary),
    redisRow('redis replica', layout.paths.redisReplica, p.redisReplica),
    portOpen(p.s3).then((up) => ({
      component: 's3 store',
      address: `http://127.0.0.1:${p.s3}`,
      pid: state?.pids.s3 ?? null,
      up,
      detail: up ? `bucket thebot-backups${state?.baseBackup ? `, base backup ${state.baseBackup}` : ''}` : 'down',
    })),
  ]);
  rows.push({
    component: 'backend',
    address: `http://127.0.0.1:${p.backend}`,
    pid: isAlive(backendPid ?? undefined) ? backendPid : null,
    up: health.ok,
    detail: health.ok
      ? 'healthy'
      : existsSync(layout.paths.backend)
        ? `unhealthy (${typeof health.fields.status === 'string' ? health.fields.status : 'no answer'})`
        : 'down',
  });
  return rows;
}
