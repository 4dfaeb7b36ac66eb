import type { JournalEvent } from '../journal/events.js';
import type { StoreClient } from './connect.js';
import type { RunRow } from './run-row.js';

/** A journal event with its line number in the journal (1-based): the key that makes shipping idempotent. */
export interface NumberedEvent {
  seq: number;
  event: JournalEvent;
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
  events: NumberedEvent[];
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

async function insertEvents(client: StoreClient, runId: string, events: NumberedEvent[]): Promise<void> {
  await client.query(
    `insert into events (run_id, seq, type, at, t_ms, payload)
     select $1, * from unnest($2::int[], $3::text[], $4::timestamptz[], $5::float8[], $6::jsonb[])
     on conflict do nothing`,
    [
      runId,
      events.map((e) => e.seq),
      events.map((e) => e.event.type),
      events.map((e) => e.event.at),
      events.map((e) => e.event.t),
      events.map((e) => JSON.stringify(e.event)),
    ],
  );
  const steps = events.flatMap(({ seq, event: e }) => (e.type === 'step-finished' ? [{ seq, e }] : []));
  if (steps.length > 0) {
    await client.query(
      `insert into step_results (run_id, seq, step, title, kind, section, phase, status, started_at, duration_ms, exit_code, error)
       select $1, * from unnest($2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
                                $9::timestamptz[], $10::float8[], $11::int[], $12::text[])
       on conflict do nothing`,
      [
        runId,
        steps.map((s) => s.seq),
        steps.map((s) => s.e.step),
        steps.map((s) => s.e.title),
        steps.map((s) => s.e.kind),
        steps.map((s) => s.e.section),
        steps.map((s) => s.e.phase),
        steps.map((s) => s.e.result.status),
        steps.map((s) => (s.e.result.startedAt === '' ? null : s.e.result.startedAt)),
        steps.map((s) => s.e.result.durationMs),
        steps.map((s) => s.e.result.exitCode ?? null),
        steps.map((s) => s.e.result.error ?? null),
      ],
    );
  }
  const metrics = events.flatMap(({ seq, event: e }) => (e.type === 'recorded' ? [{ seq, e }] : []));
  for (const { seq, e } of metrics) {
    await client.query(
      `insert into metrics (run_id, seq, step, name, value, recorded_by, at) values ($1, $2, $3, $4, $5, $6, $7)
       on conflict do nothing`,
      [runId, seq, e.step, e.name, e.value, e.by, e.at],
    );
  }
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
