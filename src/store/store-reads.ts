import type { JournalEvent } from '../journal/events.js';
import { UsageError } from '../model/errors.js';
import { checkFilter, type HistoryFilter } from '../report/history-filter.js';
import { byGroup, statsRow, type Period, type StatsRow } from '../report/history-stats.js';
import type { StoreClient } from './connect.js';

/** The runs listing's filters: history's, plus the outcome and who ran it. */
export interface RunsFilter extends HistoryFilter {
  outcome?: string;
  operator?: string;
}

/** One run as `drillbook runs` lists it, from the store or from the local journals. */
export interface RunListing {
  runId: string;
  startedAt: string;
  runbook: string;
  incident: string;
  mode: string;
  operator: string;
  origin: string | null;
  outcome: string;
  verdict: string;
  ttrMs: number | null;
}

/** A WHERE clause and its parameters for the filters (columns of `runs`). */
export function runsWhere(f: RunsFilter): { sql: string; params: unknown[] } {
  const since = checkFilter(f);
  const clauses: string[] = [];
  const params: unknown[] = [];
  const add = (column: string, value: unknown, op = '=') => {
    params.push(value);
    clauses.push(`${column} ${op} $${params.length}`);
  };
  if (f.incident !== undefined) add('incident', f.incident);
  if (f.runbook !== undefined) add('runbook', f.runbook);
  if (f.mode !== undefined) add('mode', f.mode);
  if (f.outcome !== undefined) add('outcome', f.outcome);
  if (f.operator !== undefined) add('operator', f.operator);
  if (since !== null) add('started_at', new Date(since).toISOString(), '>=');
  return { sql: clauses.length === 0 ? '' : `where ${clauses.join(' and ')}`, params };
}

export async function listStoredRuns(client: StoreClient, f: RunsFilter): Promise<RunListing[]> {
  const w = runsWhere(f);
  const r = await client.query<{
    id: string;
    started_at: Date;
    runbook: string;
    incident: string;
    mode: string;
    operator: string;
    origin_host: string | null;
    origin_ci: { system?: string } | null;
    outcome: string;
    verdict: string;
    ttr_ms: number | null;
  }>(
    `select id, started_at, runbook, incident, mode, operator, origin_host, origin_ci, outcome, verdict, ttr_ms
       from runs ${w.sql} order by started_at, id`,
    w.params,
  );
  return r.rows.map((row) => ({
    runId: row.id,
    startedAt: row.started_at.toISOString(),
    runbook: row.runbook,
    incident: row.incident,
    mode: row.mode,
    operator: row.operator,
    origin:
      row.origin_host === null
        ? null
        : `${row.origin_host}${row.origin_ci?.system ? ` (${row.origin_ci.system})` : ''}`,
    outcome: row.outcome,
    verdict: row.verdict,
    ttrMs: row.ttr_ms,
  }));
}

/** A stored run's events in journal order, for its report: `latest` is the run that started last. */
export async function storedRunEvents(
  client: StoreClient,
  requested: string,
): Promise<{ runId: string; events: JournalEvent[] }> {
  const runId = await resolveStoredRunId(client, requested);
  const r = await client.query<{ payload: JournalEvent }>('select payload from events where run_id = $1 order by seq', [
    runId,
  ]);
  return { runId, events: r.rows.map((row) => row.payload) };
}

async function resolveStoredRunId(client: StoreClient, requested: string): Promise<string> {
  if (requested === 'latest') {
    const r = await client.query<{ id: string }>('select id from runs order by started_at desc, id desc limit 1');
    const id = r.rows[0]?.id;
    if (id === undefined)
      throw new UsageError('no runs in the store yet; run one, or ship local runs with: drillbook sync');
    return id;
  }
  const r = await client.query<{ id: string }>(
    "select id from runs where id = $1 or id like replace(replace($1, '%', ''), '_', '\\_') || '%' order by id limit 6",
    [requested],
  );
  const ids = r.rows.map((row) => row.id);
  if (ids.includes(requested)) return requested;
  if (ids.length === 1 && ids[0] !== undefined) return ids[0];
  if (ids.length > 1) throw new UsageError(`run id "${requested}" matches several runs in the store; give more of it`);
  throw new UsageError(`no run "${requested}" in the store`);
}

/**
 * History's statistics computed by PostgreSQL, per runbook incident and (with a period) per day, ISO week or
 * month in UTC: the same verdict fields local history reads (succeeded, simulated, ttr_ms, rpo_ms), the same
 * rounding (statsRow).
 */
export async function storedStats(client: StoreClient, f: HistoryFilter, period?: Period): Promise<StatsRow[]> {
  const w = runsWhere(f);
  const periodSql = period ? `to_char(date_trunc('${period}', started_at), 'YYYY-MM-DD')` : 'null::text';
  const real = (condition: string) => `(count(*) filter (where not simulated and ${condition}))::int`;
  const ttr = (p: number) =>
    `percentile_cont(${p}) within group (order by ttr_ms) filter (where not simulated and ttr_ms is not null)`;
  const r = await client.query<StatsSqlRow>(
    `with chosen as (select *, ${periodSql} as period from runs ${w.sql}),
          outcomes as (select runbook, incident, period, jsonb_object_agg(outcome, n) as outcomes
                         from (select runbook, incident, period, outcome, count(*)::int as n
                                 from chosen group by 1, 2, 3, 4) o
                        group by 1, 2, 3)
     select c.runbook, c.incident, c.period,
            ${real('true')} as real_runs,
            ${real('succeeded')} as succeeded,
            ${real("outcome = 'recovered'")} as recovered,
            ${real('rto_met')} as rto_met,
            ${real('not rto_met')} as rto_missed,
            ${real('rpo_met')} as rpo_met,
            ${real('not rpo_met')} as rpo_missed,
            ${ttr(0.5)} as p50_ttr,
            avg(ttr_ms) filter (where not simulated) as mean_ttr,
            ${ttr(0.95)} as p95_ttr,
            avg(rpo_ms) filter (where not simulated) as mean_rpo,
            (count(*) filter (where simulated))::int as simulations,
            o.outcomes
       from chosen c join outcomes o
         on o.runbook = c.runbook and o.incident = c.incident and o.period is not distinct from c.period
      group by c.runbook, c.incident, c.period, o.outcomes`,
    w.params,
  );
  return r.rows.map(statsOfSqlRow).sort(byGroup);
}

interface StatsSqlRow {
  runbook: string;
  incident: string;
  period: string | null;
  real_runs: number;
  succeeded: number;
  recovered: number;
  rto_met: number;
  rto_missed: number;
  rpo_met: number;
  rpo_missed: number;
  p50_ttr: number | null;
  mean_ttr: number | null;
  p95_ttr: number | null;
  mean_rpo: number | null;
  simulations: number;
  outcomes: Record<string, number>;
}

function statsOfSqlRow(row: StatsSqlRow): StatsRow {
  return statsRow({
    runbook: row.runbook,
    incident: row.incident,
    period: row.period,
    realRuns: row.real_runs,
    succeeded: row.succeeded,
    recovered: row.recovered,
    rtoMet: row.rto_met,
    rtoMissed: row.rto_missed,
    rpoMet: row.rpo_met,
    rpoMissed: row.rpo_missed,
    p50TtrMs: row.p50_ttr,
    meanTtrMs: row.mean_ttr,
    p95TtrMs: row.p95_ttr,
    meanRpoMs: row.mean_rpo,
    simulations: row.simulations,
    outcomes: row.outcomes,
  });
}
