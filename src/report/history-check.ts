import { existsSync } from 'node:fs';
import { EXIT } from '../model/errors.js';
import { formatDuration } from '../model/duration.js';
import type { Runbook } from '../model/runbook.js';
import { incidentKey, type History, type RunSummary } from './build-history.js';

/** How often an incident's `schedule.cadence` asks for a drill; on-change and on-demand set no deadline. */
export const CADENCE_MS: Record<string, number> = {
  daily: 86_400_000,
  weekly: 7 * 86_400_000,
  monthly: 31 * 86_400_000,
  quarterly: 92 * 86_400_000,
  semiannually: 183 * 86_400_000,
  annually: 366 * 86_400_000,
};

/** Ages and cadences read in days once they are days long: "9d", "31d"; shorter ones as durations. */
export function age(ms: number): string {
  return ms >= 2 * 86_400_000 ? `${Math.floor(ms / 86_400_000)}d` : formatDuration(ms);
}

export interface HistoryCheck {
  lines: CheckLine[];
  exitCode: number;
}

export interface CheckLine {
  key: string;
  /** running: a drill of the incident is in progress and nothing else is to be said of it; it fails nothing. */
  status: 'ok' | 'FAILED' | 'OVERDUE' | 'running';
  text: string;
}

/**
 * "Is our DR still proven?": exit 3 when the latest real run (or drill) of any incident did not recover
 * within target, else exit 1 when an incident with a drill cadence has no real run within it, else 0.
 * A run in progress (History.running) is not judged: its incident is judged by its latest finished real run,
 * and its line says the drill runs now.
 */
export function historyCheck(h: History, runbooks: Runbook[], only?: string, now = Date.now()): HistoryCheck {
  const lines: CheckLine[] = [];
  const byKey = new Map(h.incidents.map((i) => [i.key, i]));
  for (const i of h.incidents) {
    const latest = i.latestReal;
    if (latest && !latest.succeeded)
      lines.push({
        key: i.key,
        status: 'FAILED',
        text: `latest real run ${latest.runId} (${latest.mode}): ${latest.verdict}`,
      });
  }
  const latestAt = (key: string) => byKey.get(key)?.latestReal?.startedAt;
  for (const d of drillCadences(runbooks, latestAt, only, now)) {
    if (d.overdue) lines.push({ key: d.key, status: 'OVERDUE', text: overdueText(d) });
    else if (byKey.get(d.key)?.latestReal?.succeeded)
      lines.push({
        key: d.key,
        status: 'ok',
        text: `last real run ${age(d.agoMs ?? 0)} ago, within target (${d.cadence})`,
      });
  }
  noteRunningDrills(lines, h);
  const exitCode = lines.some((l) => l.status === 'FAILED')
    ? EXIT.breached
    : lines.some((l) => l.status === 'OVERDUE')
      ? EXIT.failed
      : EXIT.ok;
  return { lines: lines.sort((a, b) => a.key.localeCompare(b.key)), exitCode };
}

/** Each incident with a real run in progress: its line says so, or is a line of its own when it had none. */
function noteRunningDrills(lines: CheckLine[], h: History): void {
  // h.running is oldest first: the map keeps each incident's newest.
  const running = new Map(h.running.filter((r) => !r.simulated).map((r) => [incidentKey(r.runbook, r.incident), r]));
  for (const [key, run] of running) {
    const note = runningText(run);
    const line = lines.find((l) => l.key === key);
    if (line) {
      line.text = `${line.text}; ${note}`;
      continue;
    }
    const latest = h.incidents.find((i) => i.key === key)?.latestReal;
    const before = latest ? `latest finished real run ${latest.runId}: ${latest.verdict}` : 'no real run finished yet';
    lines.push({ key, status: 'running', text: `${note}; ${before}` });
  }
}

/** "drill running now (RUN-ID, started 2026-12-05 13:08 UTC)". */
export function runningText(run: Pick<RunSummary, 'runId' | 'startedAt'>): string {
  const at = new Date(run.startedAt).toISOString();
  return `drill running now (${run.runId}, started ${at.slice(0, 10)} ${at.slice(11, 16)} UTC)`;
}

/** An incident with a drill cadence, and how long ago it was last run for real. */
export interface DrillCadence {
  key: string;
  runbook: string;
  incident: string;
  cadence: string;
  everyMs: number;
  lastRealAt: string | null;
  agoMs: number | null;
  /** Never run for real, or not within its cadence. */
  overdue: boolean;
}

/**
 * Every incident of the runbooks whose `schedule.cadence` sets a deadline, against its latest real run
 * (`latestAt`: the start of the latest real run of a runbook/incident key). `history --check` and the
 * period reports both judge "overdue" here.
 */
export function drillCadences(
  runbooks: Runbook[],
  latestAt: (key: string) => string | undefined,
  only?: string,
  now = Date.now(),
): DrillCadence[] {
  return runbooks.flatMap((runbook) =>
    runbook.incidents.flatMap((incident) => {
      const cadence = incident.schedule?.cadence;
      const everyMs = cadence === undefined ? undefined : CADENCE_MS[cadence];
      if (cadence === undefined || everyMs === undefined || (only !== undefined && incident.id !== only)) return [];
      const key = incidentKey(runbook.metadata.name, incident.id);
      const lastRealAt = latestAt(key) ?? null;
      const agoMs = lastRealAt === null ? null : now - Date.parse(lastRealAt);
      const overdue = agoMs === null || agoMs > everyMs;
      return [
        { key, runbook: runbook.metadata.name, incident: incident.id, cadence, everyMs, lastRealAt, agoMs, overdue },
      ];
    }),
  );
}

/** "last real run 45d ago; its monthly drill is due every 31d", or "never run for real; ...". */
export function overdueText(d: DrillCadence): string {
  return `${d.agoMs === null ? 'never run for real' : `last real run ${age(d.agoMs)} ago`}; its ${d.cadence} drill is due every ${age(d.everyMs)}`;
}

/** The runbooks whose cadences to check: the ones given, else those the runs name that still exist here. */
export function checkedRunbookFiles(given: string[], runFiles: string[]): string[] {
  if (given.length > 0) return given;
  return [...new Set(runFiles)].filter((f) => existsSync(f));
}
