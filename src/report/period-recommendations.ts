import { incidentKey } from './build-history.js';
import type { DrillCadence } from './history-check.js';
import type { StatsRow } from './history-stats.js';
import type { BreachedRun } from './period-report.js';

export interface Recommendation {
  runbook: string;
  incident: string;
  kind: 'rto' | 'rpo' | 'overdue';
  text: string;
}

const DAY = 86_400_000;
const times = (n: number) => `${n} ${n === 1 ? 'drill' : 'drills'}`;

/**
 * What to do, drawn from the window's breaches and the overdue drills: an RTO missed (with the phase that most
 * often overran its budget in those runs), an RPO missed, a drill not run within its cadence.
 */
export function recommendations(
  incidents: StatsRow[],
  breaches: BreachedRun[],
  overdue: DrillCadence[],
): Recommendation[] {
  const out: Recommendation[] = [];
  for (const row of incidents) {
    const of = (r: BreachedRun) => r.runbook === row.runbook && r.incident === row.incident;
    const rtoMissed = breaches.filter((r) => of(r) && r.rtoMet === false);
    if (row.rtoMissed > 0) out.push({ ...who(row), kind: 'rto', text: rtoText(row, rtoMissed) });
    if (row.rpoMissed > 0)
      out.push({
        ...who(row),
        kind: 'rpo',
        text: `${row.incident} lost more data than its RPO allows in ${row.rpoMissed} of ${times(row.rpoMet + row.rpoMissed)}: check replication lag and how often backups are taken`,
      });
  }
  for (const d of overdue)
    out.push({ runbook: d.runbook, incident: d.incident, kind: 'overdue', text: overdueAdvice(d) });
  return out.sort(
    (a, b) =>
      incidentKey(a.runbook, a.incident).localeCompare(incidentKey(b.runbook, b.incident)) ||
      a.kind.localeCompare(b.kind),
  );
}

const who = (row: StatsRow) => ({ runbook: row.runbook, incident: row.incident });

function rtoText(row: StatsRow, missed: BreachedRun[]): string {
  const judged = row.rtoMet + row.rtoMissed;
  const late = row.recovered - row.rtoMet;
  const notRecovered = row.rtoMissed - late;
  const head = `${row.incident} missed its RTO in ${row.rtoMissed} of ${times(judged)}`;
  const why = notRecovered > 0 ? ` (${notRecovered} did not recover: fix the failing step first)` : '';
  const phase = mostOverrun(missed);
  const advice = phase
    ? `review the budget of phase "${phase.id}" (over budget in ${phase.count} of them)`
    : 'review its phase budgets against the RTO';
  return `${head}${why}: ${advice}`;
}

/** The phase that overran its budget in the most of these runs (ties: the first met). */
function mostOverrun(runs: BreachedRun[]): { id: string; count: number } | undefined {
  const counts = new Map<string, number>();
  for (const r of runs) for (const p of new Set(r.overrunPhases)) counts.set(p, (counts.get(p) ?? 0) + 1);
  let best: { id: string; count: number } | undefined;
  for (const [id, count] of counts) if (!best || count > best.count) best = { id, count };
  return best;
}

function overdueAdvice(d: DrillCadence): string {
  const every = `cadence ${d.cadence}: every ${Math.round(d.everyMs / DAY)}d`;
  if (d.agoMs === null) return `${d.incident} has never been drilled for real (${every}): schedule a drill`;
  return `${d.incident} has not been drilled for ${Math.floor(d.agoMs / DAY)} days (${every}): schedule a drill`;
}
