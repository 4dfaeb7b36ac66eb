import { UsageError } from '../model/errors.js';
import type { HistoryRun } from './build-history.js';

export interface HistoryFilter {
  incident?: string;
  runbook?: string;
  mode?: string;
  since?: string;
}

const DAY = 86_400_000;
const SINCE = /^(\d+)([hdw])$/;
const UNIT: Record<string, number> = { h: DAY / 24, d: DAY, w: 7 * DAY };

/** `--since 7d|30d|12h|2w|2026-01-31` as a start instant (ms since the epoch). */
export function sinceMs(text: string, now = Date.now()): number {
  const m = SINCE.exec(text);
  if (m) return now - Number(m[1]) * (UNIT[m[2] ?? 'd'] ?? DAY);
  if (/^\d{4}-\d{2}-\d{2}$/.test(text) && Number.isFinite(Date.parse(`${text}T00:00:00Z`)))
    return Date.parse(`${text}T00:00:00Z`);
  throw new UsageError(
    `--since expects an age such as 7d, 30d, 12h or 2w, or a date such as 2026-01-31, got "${text}"`,
  );
}

/** The filter's options checked (a typo is exit 2, not an empty history); returns --since as an instant. */
export function checkFilter(f: HistoryFilter): number | null {
  if (f.incident !== undefined && !/^[A-Z][A-Z0-9]*-\d{3}$/.test(f.incident)) {
    throw new UsageError(`--incident expects an incident id such as INC-003, got "${f.incident}"`);
  }
  return f.since === undefined ? null : sinceMs(f.since);
}

/** The runs history counts: checked options first (a typo is exit 2, not an empty history). */
export function filterReports<T extends HistoryRun>(reports: T[], f: HistoryFilter): T[] {
  const from = checkFilter(f);
  return reports.filter(
    (r) =>
      (f.incident === undefined || r.incident.id === f.incident) &&
      (f.runbook === undefined || r.runbook.name === f.runbook) &&
      (f.mode === undefined || r.mode === f.mode) &&
      (from === null || Date.parse(r.startedAt) >= from),
  );
}
