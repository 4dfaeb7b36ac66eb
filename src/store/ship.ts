import type { StoreClient } from './connect.js';
import type { RunRow } from './run-row.js';

/** A journal line (its JSON text, no newline) with its line number (1-based): the key that makes shipping idempotent. */
export interface NumberedLine {
  seq: number;
  line: string;
}

/** The runbook a run used, with its text when the file still has the text the run hashed. */
export interface RunbookRow {
  sha256: string;
  name: string;
  version: string;
  file: string;
  source: string | null;
}

export interface Shipment {
  runId: string;
  events: NumberedLine[];
  runbook?: RunbookRow;
  row?: RunRow;
}

/**
 * Writes one batch in one transaction: its events, the step results and metrics they carry, and (when given)
 * the runbook and the run's row. Every insert is keyed by (run id, line number) and does nothing on a
 * conflict, so a batch sent twice (a retry after a lost connection, a sync after a run) is stored once.
 */
export async function shipBatch(client: StoreClient, s: Shipment): Promise<void> {
  await client.query('begin');
  try {
    if (s.runbook) await insertRunbook(client, s.runbook);
    if (s.events.length > 0) await insertEvents(client, s.runId, s.events);
    if (s.row) await upsertRun(client, s.row);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  }
}

async function insertRunbook(client: StoreClient, r: RunbookRow): Promise<void> {
  await client.query(
    `insert into runbooks (sha256, name, version, file, source) values ($1, $2, $3, $4, $5)
     on conflict (sha256) do update set source = coalesce(runbooks.source, excluded.source)`,
    [r.sha256, r.name, r.version, r.file, r.source],
  );
}

/**
 * One statement per batch: the lines go as one text and their numbers as one array, PostgreSQL parses each line
 * once (jsonb) and fills events, step_results and metrics from it. The shipper thus neither parses nor
 * re-serialises events, and escapes no array of JSON texts.
 */
const INSERT_LINES = `
with batch as (
  select b.seq, b.j from unnest($2::int[], string_to_array($3, E'\\n')::jsonb[]) as b(seq, j)
), stored_events as (
  insert into events (run_id, seq, type, at, t_ms, payload)
  select $1, seq, j->>'type', (j->>'at')::timestamptz, (j->>'t')::float8, j from batch
  on conflict do nothing
), stored_steps as (
  insert into step_results (run_id, seq, step, title, kind, section, phase, status, started_at, duration_ms, exit_code, error)
  select $1, seq, j->>'step', j->>'title', j->>'kind', j->>'section', j->>'phase', j->'result'->>'status',
         nullif(j->'result'->>'startedAt', '')::timestamptz, (j->'result'->>'durationMs')::float8,
         (j->'result'->>'exitCode')::int, j->'result'->>'error'
    from batch where j->>'type' = 'step-finished'
  on conflict do nothing
)
insert into metrics (run_id, seq, step, name, value, recorded_by, at)
select $1, seq, j->>'step', j->>'name', j->>'value', j->>'by', (j->>'at')::timestamptz
  from batch where j->>'type' = 'recorded'
on conflict do nothing`;

async function insertEvents(client: StoreClient, runId: string, lines: NumberedLine[]): Promise<void> {
  await client.query(INSERT_LINES, [runId, lines.map((l) => l.seq), lines.map((l) => l.line).join('\n')]);
}

const RUN_COLUMNS: [string, (r: RunRow) => unknown][] = [
  ['id', (r) => r.id],
  ['runbook', (r) => r.runbook],
  ['runbook_version', (r) => r.runbookVersion],
  ['runbook_sha256', (r) => r.runbookSha256],
  ['incident', (r) => r.incident],
  ['incident_title', (r) => r.incidentTitle],
  ['severity', (r) => r.severity],
  ['mode', (r) => r.mode],
  ['environment', (r) => r.environment],
  ['operator', (r) => r.operator],
  ['origin_host', (r) => r.originHost],
  ['origin_user', (r) => r.originUser],
  ['origin_ci', (r) => (r.originCi === null ? null : JSON.stringify(r.originCi))],
  ['started_at', (r) => r.startedAt],
  ['ended_at', (r) => r.endedAt],
  ['duration_ms', (r) => Math.round(r.durationMs)],
  ['outcome', (r) => r.outcome],
  ['exit_code', (r) => r.exitCode],
  ['simulated', (r) => r.simulated],
  ['succeeded', (r) => r.succeeded],
  ['verdict', (r) => r.verdict],
  ['reason', (r) => r.reason],
  ['ttr_ms', (r) => r.ttrMs],
  ['rto_target_ms', (r) => r.rtoTargetMs],
  ['rto_met', (r) => r.rtoMet],
  ['rpo_target_ms', (r) => r.rpoTargetMs],
  ['rpo_ms', (r) => r.rpoMs],
  ['rpo_met', (r) => r.rpoMet],
  ['events_seen', (r) => r.eventsSeen],
];

/** The run's row; a summary made from fewer events than the stored one (a sync racing the run) changes nothing. */
async function upsertRun(client: StoreClient, row: RunRow): Promise<void> {
  const names = RUN_COLUMNS.map(([n]) => n);
  const updates = names.filter((n) => n !== 'id').map((n) => `${n} = excluded.${n}`);
  await client.query(
    `insert into runs (${names.join(', ')}) values (${names.map((_, i) => `$${i + 1}`).join(', ')})
     on conflict (id) do update set ${updates.join(', ')}, updated_at = now()
     where runs.events_seen <= excluded.events_seen`,
    RUN_COLUMNS.map(([, get]) => get(row)),
  );
}
