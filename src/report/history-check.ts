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
function age(ms: number): string {
  return ms >= 2 * 86_400_000 ? `${Math.floor(ms / 86_400_000)}d` : formatDuration(ms);
}

export interface HistoryCheck {
  lines: CheckLine[];
  exitCode: number;
}

export interface CheckLine {
  key: string;
  status: 'ok' | 'FAILED' | 'OVERDUE';
  text: string;
}

/**
 * "Is our DR still proven?": exit 3 when the latest real run (or drill) of any incident did not recover
 * within target, else exit 1 when an incident with a drill cadence has no real run within it, else 0.
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
  for (const runbook of runbooks) {
    for (const incident of runbook.incidents) {
      if (only !== undefined && incident.id !== only) continue;
      const key = incidentKey(runbook.metadata.name, incident.id);
      const line = cadenceLine(key, incident, byKey.get(key)?.latestReal ?? null, now);
      if (line) lines.push(line);
    }
  }
  const exitCode = lines.some((l) => l.status === 'FAILED')
    ? EXIT.breached
    : lines.some((l) => l.status === 'OVERDUE')
      ? EXIT.failed
      : EXIT.ok;
  return { lines: lines.sort((a, b) => a.key.localeCompare(b.key)), exitCode };
}

/**
 * An incident against its drill cadence: OVERDUE when its latest real run is older than the cadence (or there is
 * none), ok when it is recent and succeeded, nothing without a cadence. `history --check` and the service's
 * overdue alerts both judge with this.
 */
export function cadenceLine(
  key: string,
  incident: Pick<Runbook['incidents'][number], 'schedule'>,
  latest: Pick<RunSummary, 'startedAt' | 'succeeded'> | null,
  now: number,
): CheckLine | undefined {
  const cadence = incident.schedule?.cadence;
  const every = cadence === undefined ? undefined : CADENCE_MS[cadence];
  if (every === undefined) return undefined;
  const since = latest ? now - Date.parse(latest.startedAt) : null;
  if (since === null || since > every)
    return {
      key,
      status: 'OVERDUE',
      text: `${since === null ? 'never run for real' : `last real run ${age(since)} ago`}; its ${cadence ?? ''} drill is due every ${age(every)}`,
    };
  if (latest?.succeeded)
    return { key, status: 'ok', text: `last real run ${age(since)} ago, within target (${cadence ?? ''})` };
  return undefined;
}

/** The runbooks whose cadences to check: the ones given, else those the runs name that still exist here. */
export function checkedRunbookFiles(given: string[], runFiles: string[]): string[] {
  if (given.length > 0) return given;
  return [...new Set(runFiles)].filter((f) => existsSync(f));
}
