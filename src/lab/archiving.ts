import { readFileSync } from 'node:fs';
import pg from 'pg';
import { EnvironmentError } from '../model/errors.js';

/**
 * Proves the primary's archive_command works before anything depends on it. A failing command does not
 * stop PostgreSQL: it retries forever, and the base backup (pg_basebackup -X none) then waits forever
 * for its last segment to be archived. So a WAL switch is forced and pg_stat_archiver watched: the
 * first archived segment passes, the first failure ends `lab up` with the command's own error.
 */
export async function verifyArchiving(port: number, log: string, timeoutMs = 20_000): Promise<void> {
  const client = new pg.Client({
    host: '127.0.0.1',
    port,
    user: 'postgres',
    database: 'postgres',
    connectionTimeoutMillis: 5000,
  });
  await client.connect();
  try {
    await client.query(
      'create table if not exists drillbook_archive_probe (at timestamptz); insert into drillbook_archive_probe values (now())',
    );
    await client.query('select pg_switch_wal()');
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await client.query<{ archived: string; failed: string; wal: string | null }>(
        'select archived_count as archived, failed_count as failed, last_failed_wal as wal from pg_stat_archiver',
      );
      const row = rows[0];
      if (Number(row?.archived ?? 0) > 0) return;
      // A command that cannot even be executed (exit 126, 127) ends the archiver process (FATAL) without
      // counting a failure, so the server log is read too.
      const failure = archiveFailure(log);
      if (failure !== undefined || Number(row?.failed ?? 0) > 0)
        throw new EnvironmentError(
          `archive_command failed for WAL segment ${row?.wal ?? '(first)'}: ${failure ?? 'see the server log'}`,
          log,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new EnvironmentError(`no WAL segment was archived within ${timeoutMs / 1000} s`, log);
  } finally {
    await client.end();
  }
}

/** The archive command's own error from the server log (the output before "archive command failed"), if it failed. */
export function archiveFailure(log: string): string | undefined {
  let lines: string[];
  try {
    lines = readFileSync(log, 'utf8').split('\n');
  } catch {
    return undefined;
  }
  const failed = lines.findIndex((l) => /archive command failed/.test(l));
  if (failed === -1) return undefined;
  const output: string[] = [];
  for (let i = failed - 1; i >= 0 && !/\b(LOG|DETAIL|WARNING|HINT):/.test(lines[i] ?? ''); i--)
    output.unshift((lines[i] ?? '').trim());
  const telling =
    output.find((l) => /error|denied|not found|cannot|failed|no such/i.test(l)) ?? output.find((l) => l !== '');
  return telling ?? (lines[failed] ?? '').replace(/^.*?archive command failed/, 'archive command failed');
}
