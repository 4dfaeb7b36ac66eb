import type { Pool } from 'pg';
import { historyOfSummaries, incidentKey, type IncidentHistory, type RunSummary } from '../report/build-history.js';
import { historyCheck, type CheckLine } from '../report/history-check.js';
import { incidentSummaries, type IncidentSummary } from '../model/incident-summary.js';
import { listRunbooks, validated } from './runbook-registry.js';

/** One incident of a registered runbook on the drill board: its targets, `drillbook history`'s figures, its check. */
export interface BoardIncident extends IncidentSummary {
  runbook: string;
  cadence: string | null;
  /** `drillbook history --json`'s entry for this incident over the same runs; null when it was never run. */
  history: IncidentHistory | null;
  /** The latest run of any mode (a simulation included) that is not in progress, for "last drill". */
  lastRun: RunSummary | null;
  /** The incident's newest real run in progress now (see LIVE below), not judged until it ends. */
  running: RunSummary | null;
  /** `drillbook history --check`'s line: FAILED, OVERDUE or ok; null when there is nothing to judge. */
  check: Pick<CheckLine, 'status' | 'text'> | null;
}

/**
 * A stored run is in progress, and not judged yet, when its row has no end (its verdict says unfinished) and:
 * the service runs it (its request is running: a request that ended, or whose worker died, is not), or no
 * service request names it (a CLI runner ships its journal as it goes) and its latest event is less than an hour
 * old. The store cannot see a CLI runner's lock: an hour of journal silence is taken for a crash or a kill.
 */
const LIVE = `r.outcome = 'unfinished' and case
  when exists (select 1 from service_runs s where s.run_id = r.id)
    then exists (select 1 from service_runs s where s.run_id = r.id and s.status = 'running')
  else coalesce((select max(e.at) from events e where e.run_id = r.id), r.updated_at) > now() - interval '1 hour'
  end`;

/** The store's run rows as history's summaries: the row's columns are the verdict's fields (src/store/run-row.ts). */
async function storedSummaries(
  pool: Pool,
  runbooks: string[],
): Promise<{ runs: RunSummary[]; titles: Map<string, string>; live: Set<string> }> {
  const r = await pool.query<{
    id: string;
    runbook: string;
    incident: string;
    incident_title: string;
    mode: string;
    simulated: boolean;
    started_at: Date;
    outcome: string;
    exit_code: number | null;
    succeeded: boolean;
    verdict: string;
    ttr_ms: number | null;
    rto_target_ms: number;
    rto_met: boolean | null;
    rpo_ms: number | null;
    rpo_met: boolean | null;
    live: boolean;
  }>(
    `select id, runbook, incident, incident_title, mode, simulated, started_at, outcome, exit_code, succeeded, verdict,
            ttr_ms, rto_target_ms, rto_met, rpo_ms, rpo_met, ${LIVE} as live
       from runs r where runbook = any($1::text[])`,
    [runbooks],
  );
  const titles = new Map(r.rows.map((row) => [incidentKey(row.runbook, row.incident), row.incident_title]));
  const runs = r.rows.map((row) => ({
    runId: row.id,
    runbook: row.runbook,
    incident: row.incident,
    mode: row.mode,
    simulated: row.simulated,
    startedAt: row.started_at.toISOString(),
    outcome: row.outcome,
    exitCode: row.exit_code,
    succeeded: row.succeeded,
    verdict: row.verdict,
    ttrMs: row.ttr_ms,
    rtoTargetMs: row.rto_target_ms,
    rtoMet: row.rto_met,
    rpoMs: row.rpo_ms,
    rpoMet: row.rpo_met,
  }));
  return { runs, titles, live: new Set(r.rows.filter((row) => row.live).map((row) => row.id)) };
}

/**
 * Every incident of every registered runbook with its history and its check, computed by the very functions
 * `drillbook history` and `history --check` use (buildHistory's historyOfSummaries, historyCheck), over the
 * store's runs of those runbooks.
 */
export async function buildBoard(pool: Pool, now = Date.now()): Promise<BoardIncident[]> {
  const registered = (await listRunbooks(pool)).map((r) => validated(r.name, r.source));
  const { runs, titles, live } = await storedSummaries(
    pool,
    registered.map((rb) => rb.metadata.name),
  );
  const history = historyOfSummaries(runs, titles, live);
  const check = historyCheck(history, registered, undefined, now);
  const byKey = new Map(history.incidents.map((i) => [i.key, i]));
  const lines = new Map(check.lines.map((l) => [l.key, l]));
  return registered.flatMap((rb) => {
    const name = rb.metadata.name;
    return incidentSummaries(rb).map((summary, i) => {
      const key = incidentKey(name, summary.id);
      const line = lines.get(key);
      return {
        runbook: name,
        ...summary,
        cadence: rb.incidents[i]?.schedule?.cadence ?? null,
        history: byKey.get(key) ?? null,
        lastRun: history.runs.filter((r) => incidentKey(r.runbook, r.incident) === key).at(-1) ?? null,
        running:
          history.running.filter((r) => !r.simulated && incidentKey(r.runbook, r.incident) === key).at(-1) ?? null,
        check: line ? { status: line.status, text: line.text } : null,
      };
    });
  });
}
