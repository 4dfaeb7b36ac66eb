import { execa } from 'execa';
import { join } from 'node:path';
import { mkdirSync, readFileSync } from 'node:fs';
import { EnvironmentError } from '../model/errors.js';

export interface RedisNode {
  dir: string;
  port: number;
}

/** A redis-server on a loopback port, daemonized, optionally a replica of another port. */
export async function startRedis(dir: string, port: number, replicaOf?: number): Promise<RedisNode> {
  mkdirSync(dir, { recursive: true });
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--daemonize',
    'yes',
    '--dir',
    dir,
    '--pidfile',
    join(dir, 'redis.pid'),
    '--logfile',
    join(dir, 'redis.log'),
    '--save',
    '',
    '--appendonly',
    'no',
    ...(replicaOf !== undefined ? ['--replicaof', '127.0.0.1', String(replicaOf)] : []),
  ];
  const result = await execa('redis-server', args, { reject: false, stdin: 'ignore', all: true, timeout: 30_000 });
  if (result.exitCode !== 0)
    throw new EnvironmentError(
      `redis-server on port ${port} failed (exit ${String(result.exitCode ?? 'none')}): ${(result.all ?? '').trim().split('\n').slice(-2).join(' | ')}`,
      join(dir, 'redis.log'),
    );
  return { dir, port };
}

export function redisPid(node: RedisNode): number | undefined {
  try {
    return Number(readFileSync(join(node.dir, 'redis.pid'), 'utf8').trim());
  } catch {
    return undefined;
  }
}

export function stopRedis(node: RedisNode, signal: NodeJS.Signals = 'SIGTERM'): void {
  const pid = redisPid(node);
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}
