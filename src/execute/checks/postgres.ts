import type { PostgresProbe } from '../../model/runbook.js';
import { ProbeError, withDeadline, type CheckKind, type Words } from './check-kind.js';
import { messageOf } from '../../model/error-message.js';

/** Ready-made probes a runbook can name instead of writing SQL. */
const PROBE_SQL: Record<NonNullable<PostgresProbe['probe']>, string> = {
  reachable: "select true as reachable, current_setting('server_version') as server_version",
  in_recovery: 'select pg_is_in_recovery() as in_recovery',
  // On a replica that has replayed everything it received, lag is 0 even when the primary is idle.
  replication_lag: `select pg_is_in_recovery() as in_recovery,
    case when pg_is_in_recovery() then
      case when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
           else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()), 0)::float8 end
    else coalesce((select max(extract(epoch from replay_lag)) from pg_stat_replication), 0)::float8 end as lag_seconds,
    (select count(*) from pg_stat_replication)::int as replicas`,
  wal_archiving: `select current_setting('archive_mode') as archive_mode, archived_count::int, failed_count::int,
    last_archived_wal, extract(epoch from now() - last_archived_time)::float8 as last_archived_age_seconds
    from pg_stat_archiver`,
};

export const postgresCheck: CheckKind<PostgresProbe> = {
  defaultExpect: undefined,
  describe: (o, w) => ({
    what: `PostgreSQL ${w.code(target(o))}${o.user ? ` as ${w.code(o.user)}` : ''}: ${o.query ? `query ${w.code(o.query.replace(/\s+/g, ' ').trim())}` : POSTGRES_PROBES[o.probe ?? 'reachable'](w)}`,
    defaults: o.probe === undefined && !o.query ? 'it accepts connections' : '',
  }),
  async probe(o, ctx) {
    const { default: pg } = await import('pg');
    const client = new pg.Client({
      ...(o.url ? { connectionString: o.url } : {}),
      ...(o.host ? { host: o.host } : {}),
      ...(o.port !== undefined ? { port: Number(o.port) } : {}),
      ...(o.user ? { user: o.user } : {}),
      ...(o.database ? { database: o.database } : {}),
      ...(o.password ? { password: process.env[o.password] ?? '' } : {}),
      connectionTimeoutMillis: ctx.deadlineMs,
      query_timeout: ctx.deadlineMs,
      statement_timeout: ctx.deadlineMs,
    });
    client.on('error', () => undefined);
    const probe = o.probe ?? (o.query ? undefined : 'reachable');
    try {
      try {
        await withDeadline(client.connect(), ctx.deadlineMs, target(o));
      } catch (error) {
        if (probe === 'reachable') return { reachable: false, reason: reason(error) };
        throw new ProbeError(`${target(o)}: cannot connect (${reason(error)})`);
      }
      const sql = probe ? PROBE_SQL[probe] : (o.query as string);
      const result = await withDeadline(client.query(sql), ctx.deadlineMs, target(o)).catch((error: unknown) => {
        throw new ProbeError(`${target(o)}: query failed (${reason(error)})`);
      });
      const first = (result.rows[0] ?? {}) as Record<string, unknown>;
      return { ...first, rows: result.rowCount ?? result.rows.length };
    } finally {
      void client.end().catch(() => undefined);
    }
  },
};

/** host:port/db for messages; a URL's password never appears. */
const POSTGRES_PROBES: Record<NonNullable<PostgresProbe['probe']>, (w: Words) => string> = {
  reachable: () => 'connect',
  in_recovery: (w) => `is it in recovery (${w.code('pg_is_in_recovery()')})`,
  replication_lag: () => 'replication lag in seconds',
  wal_archiving: (w) => `WAL archiver status (${w.code('pg_stat_archiver')})`,
};

/** host:port/db, from the options or the URL (never its password). */
function target(o: PostgresProbe): string {
  if (o.url) {
    try {
      const url = new URL(o.url);
      return `${url.hostname}:${url.port || '5432'}${url.pathname}`;
    } catch {
      return 'the PostgreSQL URL';
    }
  }
  return `${o.host ?? 'localhost'}:${o.port ?? 5432}${o.database ? `/${o.database}` : ''}`;
}

function reason(error: unknown): string {
  const code = (error as { code?: string }).code;
  const message = messageOf(error);
  return code && !message.includes(code) ? `${code}: ${message}` : message;
}
