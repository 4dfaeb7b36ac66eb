import type { RetentionPolicy } from '../../model/runbook.js';
import type { Words } from './check-kind.js';

/** The seeds' policy (000: daily/ 7 kept, weekly/ 4, monthly/ 12). */
export const DEFAULT_RETENTION: Required<RetentionPolicy> = { daily: 7, weekly: 4, monthly: 12 };

const DAY_MS = 86_400_000;

/** Each window is a run of equal periods back from now; a month is 30 days. */
const WINDOWS = [
  { name: 'daily', unit: 'day', ms: DAY_MS },
  { name: 'weekly', unit: 'week', ms: 7 * DAY_MS },
  { name: 'monthly', unit: 'month', ms: 30 * DAY_MS },
] as const;

export function retentionPolicy(policy: RetentionPolicy | undefined): Required<RetentionPolicy> {
  return { ...DEFAULT_RETENTION, ...policy };
}

/**
 * How many of each window's periods hold at least one backup: day 0 is the last 24 hours, day 1 the
 * 24 before, and so on (rolling, so a backup taken at 01:00 every night fills one day each, whatever
 * the time of the check). Also the total and the newest and oldest backup times, as fields.
 */
export function retentionFields(
  times: Date[],
  policy: RetentionPolicy | undefined,
  now = Date.now(),
): Record<string, unknown> {
  const full = retentionPolicy(policy);
  const fields: Record<string, unknown> = { count: times.length, policy: full };
  for (const w of WINDOWS) {
    const filled = new Set<number>();
    for (const t of times) {
      const period = Math.floor(Math.max(0, now - t.getTime()) / w.ms);
      if (period < full[w.name]) filled.add(period);
    }
    fields[w.name] = filled.size;
  }
  const sorted = times.map((t) => t.getTime()).sort((a, b) => a - b);
  if (sorted.length > 0) {
    fields.oldest = new Date(sorted[0] ?? 0).toISOString();
    fields.newest = new Date(sorted[sorted.length - 1] ?? 0).toISOString();
  }
  return fields;
}

/** Each window that is short, naming it and by how many ("daily window short by 1: 6 of the last 7 days ..."). */
export function shortWindows(fields: Record<string, unknown>): string[] {
  const policy = fields.policy as Required<RetentionPolicy> | undefined;
  if (!policy) return [];
  const short: string[] = [];
  for (const w of WINDOWS) {
    const want = policy[w.name];
    const have = typeof fields[w.name] === 'number' ? (fields[w.name] as number) : 0;
    if (have < want)
      short.push(`${w.name} window short by ${want - have}: ${have} of the last ${want} ${w.unit}s have a backup`);
  }
  return short;
}

/** "a backup in each of the last 7 days, 4 weeks and 12 months" (windows set to 0 are left out). */
export function describePolicy(policy: RetentionPolicy | undefined, words: Words): string {
  const full = retentionPolicy(policy);
  const parts = WINDOWS.filter((w) => full[w.name] > 0).map(
    (w) => `${words.code(String(full[w.name]))} ${w.unit}${full[w.name] === 1 ? '' : 's'}`,
  );
  if (parts.length === 0) return 'nothing (every window is 0)';
  const list = parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
  return `a backup in each of the last ${list ?? ''}`;
}

/** "3 backups; 7/7 days, 4/4 weeks, 11/12 months" */
export function retentionDetail(fields: Record<string, unknown>): string | undefined {
  const policy = fields.policy as Required<RetentionPolicy> | undefined;
  if (!policy) return undefined;
  const windows = WINDOWS.filter((w) => policy[w.name] > 0).map(
    (w) => `${String(fields[w.name])}/${policy[w.name]} ${w.unit}s`,
  );
  return `${String(fields.count)} backup(s); ${windows.join(', ') || 'no window set'}`;
}
