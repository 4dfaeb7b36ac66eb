import type { HistoryFilter } from '../report/history-filter.js';
import type { Period, StatsRow } from '../report/history-stats.js';
import type { Runbook } from '../model/runbook.js';
import {
  buildPeriodReport,
  periodWindow,
  type BreachedRun,
  type PeriodReport,
  type ReportPeriod,
} from '../report/period-report.js';
import type { StoreClient } from './connect.js';
import { latestRealRuns } from './latest-real-runs.js';
import { runsWhere, storedStats } from './store-reads.js';

/** What a period report reads from the store: history's statistics, the breached runs, the latest real runs. */
export interface PeriodFacts {
  incidents: StatsRow[];
  periods: StatsRow[];
  breaches: BreachedRun[];
  /** The start of the latest real run of each runbook/incident key, over all time (drill cadences look back). */
  latestReal: Map<string, string>;
}

export async function periodFacts(client: StoreClient, filter: HistoryFilter, period: Period): Promise<PeriodFacts> {
  return {
    incidents: await storedStats(client, filter),
    periods: await storedStats(client, filter, period),
    breaches: await breachedRuns(client, filter),
    latestReal: new Map([...(await latestRealRuns(client))].map(([key, run]) => [key, run.startedAt])),
  };
}

/** Real runs that did not recover within target, with the phases that overran their budgets (from the journal). */
async function breachedRuns(client: StoreClient, filter: HistoryFilter): Promise<BreachedRun[]> {
  const w = runsWhere(filter);
  const r = await client.query<{
    id: string;
    runbook: string;
    incident: string;
    started_at: Date;
    outcome: string;
    verdict: string;
    rto_met: boolean | null;
    rpo_met: boolean | null;
    overrun: string[];
  }>(
    `select r.id, r.runbook, r.incident, r.started_at, r.outcome, r.verdict, r.rto_met, r.rpo_met,
            coalesce(array_agg(e.payload->>'phase' order by e.seq) filter (where e.seq is not null), '{}') as overrun
       from runs r
       left join events e on e.run_id = r.id and e.type = 'phase-finished' and (e.payload->>'overrun')::boolean
       ${w.sql === '' ? 'where' : `${w.sql} and`} not r.simulated and not r.succeeded
      group by r.id
      order by r.started_at, r.id`,
    w.params,
  );
  return r.rows.map((row) => ({
    runId: row.id,
    runbook: row.runbook,
    incident: row.incident,
    startedAt: row.started_at.toISOString(),
    outcome: row.outcome,
    verdict: row.verdict,
    rtoMet: row.rto_met,
    rpoMet: row.rpo_met,
    overrunPhases: row.overrun,
  }));
}

/** The period report over the store's runs: the one builder the API and `drillbook report --period` share. */
export async function storedPeriodReport(
  client: StoreClient,
  period: ReportPeriod,
  since: string | undefined,
  runbooks: Runbook[],
  now = Date.now(),
): Promise<PeriodReport> {
  const window = periodWindow(period, since, now);
  const facts = await periodFacts(client, { since: window.since }, period);
  return buildPeriodReport(period, window, facts, runbooks, now);
}
