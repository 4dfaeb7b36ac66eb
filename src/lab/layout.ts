import { join, resolve } from 'node:path';

/** Where each lab component lives: ports are fixed offsets from a base, files under one directory. */
export interface LabLayout {
  dir: string;
  basePort: number;
  ports: {
    pgPrimary: number;
    pgReplica: number;
    pgScratch: number;
    redisPrimary: number;
    redisReplica: number;
    s3: number;
    backend: number;
  };
  paths: {
    pgPrimary: string;
    pgReplica: string;
    walArchive: string;
    redisPrimary: string;
    redisReplica: string;
    s3: string;
    backend: string;
    bin: string;
    work: string;
    /** The local backup folder (the seeds' /backups: daily/, weekly/, monthly/). */
    backups: string;
    state: string;
    breakRecord: string;
  };
}

/** Below Linux's ephemeral range (32768-60999), so no outgoing connection can hold a lab port. */
export const DEFAULT_BASE_PORT = 25400;
export const DEFAULT_LAB_DIR = '.drillbook/lab';

/** With the default base 25400: PostgreSQL 25432/25433, Redis 26379/26380, S3 25490, backend 25480. */
export function labLayout(dir = DEFAULT_LAB_DIR, basePort = DEFAULT_BASE_PORT): LabLayout {
  const root = resolve(dir);
  return {
    dir: root,
    basePort,
    ports: {
      pgPrimary: basePort + 32,
      pgReplica: basePort + 33,
      pgScratch: basePort + 34,
      redisPrimary: basePort + 979,
      redisReplica: basePort + 980,
      s3: basePort + 90,
      backend: basePort + 80,
    },
    paths: {
      pgPrimary: join(root, 'postgres', 'primary'),
      pgReplica: join(root, 'postgres', 'replica'),
      walArchive: join(root, 'postgres', 'wal-archive'),
      redisPrimary: join(root, 'redis', 'primary'),
      redisReplica: join(root, 'redis', 'replica'),
      s3: join(root, 's3'),
      backend: join(root, 'backend'),
      bin: join(root, 'bin'),
      work: join(root, 'work'),
      backups: join(root, 'backups'),
      state: join(root, 'state.json'),
      breakRecord: join(root, 'break.json'),
    },
  };
}

/**
 * The runbook's `lab` variables for a layout. The runbook's own values describe the default lab
 * (.drillbook/lab, base port 25400); a lab elsewhere is drilled with these as --var overrides.
 */
export function labVariableOverrides(layout: LabLayout): Record<string, string> {
  const p = layout.ports;
  const d = layout.paths;
  const api = `http://127.0.0.1:${p.backend}`;
  const pg = (role: 'primary' | 'replica', dir: string, port: number) => ({
    [`pg.${role}.port`]: String(port),
    [`pg.${role}.data_dir`]: dir,
    [`pg.${role}.log_file`]: `${dir}.log`,
    [`pg.${role}.stop_command`]: `pg_ctl stop -w -m fast -D ${dir}`,
    [`pg.${role}.start_command`]: `pg_ctl start -w -D ${dir} -l ${dir}.log -o "-p ${port}"`,
  });
  return {
    'api.url': api,
    'monitoring.url': `${api}/api/system/metrics/`,
    'dr.api_url': api,
    'tools.ssh': join(d.bin, 'ssh'),
    'tools.kubectl': join(d.bin, 'kubectl'),
    ...pg('primary', d.pgPrimary, p.pgPrimary),
    ...pg('replica', d.pgReplica, p.pgReplica),
    'redis.primary.port': String(p.redisPrimary),
    'redis.replica.port': String(p.redisReplica),
    's3.endpoint': `http://127.0.0.1:${p.s3}`,
    'backup.work_dir': d.work,
    'backup.dir': d.backups,
    'pitr.wal_dir': join(d.work, 'wal-recovery'),
    'pitr.scratch_dir': join(layout.dir, 'postgres', 'pitr'),
    'pitr.scratch_port': String(p.pgScratch),
    'dr.db.port': String(p.pgPrimary),
    'dr.redis.port': String(p.redisPrimary),
  };
}
