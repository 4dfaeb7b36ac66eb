import type { Runbook } from '../model/runbook.js';
import { cell, table } from './markdown/text.js';

const REVIEW_MONTHS: Record<string, number> = { monthly: 1, quarterly: 3, semiannually: 6, annually: 12 };
const REVIEW_DAYS: Record<string, number> = { daily: 1, weekly: 7 };

/**
 * The next review date, from the last review and the cadence. Derived from the runbook only, never from
 * today's date, so rendering stays deterministic.
 */
export function nextReview(lastReviewed: string | undefined, cadence: string | undefined): string | undefined {
  if (!lastReviewed || !cadence) return undefined;
  const date = new Date(`${lastReviewed}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) return undefined;
  const months = REVIEW_MONTHS[cadence];
  const days = REVIEW_DAYS[cadence];
  if (months !== undefined) date.setUTCMonth(date.getUTCMonth() + months);
  else if (days !== undefined) date.setUTCDate(date.getUTCDate() + days);
  else return undefined;
  return date.toISOString().slice(0, 10);
}

/** Version, owner and review dates: what a compliance reviewer checks before reading anything else. */
export function titleBlock(runbook: Runbook, extra: [string, string][] = []): string[] {
  const m = runbook.metadata;
  const next = nextReview(m.last_reviewed, m.review);
  const rows: [string, string][] = [
    ['Version', m.version],
    ['Owner', m.owner],
    ...(m.review ? [['Review', m.review] as [string, string]] : []),
    ...(m.last_reviewed ? [['Last reviewed', m.last_reviewed] as [string, string]] : []),
    ...(next ? [['Next review', next] as [string, string]] : []),
    ['RTO target', runbook.objectives.rto],
    ['RPO target', runbook.objectives.rpo === 'none' ? 'n/a' : runbook.objectives.rpo],
    ...extra,
  ];
  return table(
    ['Document', 'Value'],
    rows.map(([k, v]) => [`**${k}**`, cell(v)]),
  );
}
