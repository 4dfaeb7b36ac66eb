import type { JournalEvent } from '../journal/events.js';
import { buildReport } from '../report/build-report.js';
import { summarizeRun } from '../report/build-history.js';

/** A run's row in the store: the report's facts and the single verdict's fields, as history counts them. */
export interface RunRow {
  id: string;
  runbook: string;
  runbookVersion: string;
  runbookSha256: string;
  incident: string;
  incidentTitle: string;
  severity: string;
  mode: string;
  environment: string;
  operator: string;
  originHost: string | null;
  originUser: string | null;
  originCi: Record<string, string> | null;
  startedAt: string;
  endedAt: string | null;
  durationMs: number;
  outcome: string;
  exitCode: number | null;
  simulated: boolean;
  succeeded: boolean;
  verdict: string;
  reason: string | null;
  ttrMs: number | null;
  rtoTargetMs: number;
  rtoMet: boolean | null;
  rpoTargetMs: number | null;
  rpoMs: number | null;
  rpoMet: boolean | null;
  eventsSeen: number;
}

/** The row from a run's whole journal: the report (src/report) and its summary, never judged again here. */
export function runRowOf(events: JournalEvent[]): RunRow {
  const report = buildReport(events);
  const s = summarizeRun(report);
  const started = events.find((e) => e.type === 'run-started');
  const origin = started?.type === 'run-started' ? started.origin : undefined;
  return {
    id: report.runId,
    runbook: report.runbook.name,
    runbookVersion: report.runbook.version,
    runbookSha256: report.runbook.sha256,
    incident: report.incident.id,
    incidentTitle: report.incident.title,
    severity: report.incident.severity,
    mode: report.mode,
    environment: report.environment,
    operator: report.operator,
    originHost: origin?.host ?? null,
    originUser: origin?.user ?? null,
    originCi: origin?.ci ?? null,
    startedAt: report.startedAt,
    endedAt: report.finishedAt,
    durationMs: report.durationMs,
    outcome: s.outcome,
    exitCode: s.exitCode,
    simulated: s.simulated,
    succeeded: s.succeeded,
    verdict: s.verdict,
    reason: report.reason,
    ttrMs: s.ttrMs,
    rtoTargetMs: s.rtoTargetMs,
    rtoMet: s.rtoMet,
    rpoTargetMs: report.rpo.targetMs,
    rpoMs: s.rpoMs,
    rpoMet: s.rpoMet,
    eventsSeen: events.length,
  };
}
