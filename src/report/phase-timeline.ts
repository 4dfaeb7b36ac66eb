import { formatDuration } from '../model/duration.js';
import { rtoText, ttrText } from '../verdict/verdict-text.js';
import type { Report } from './build-report.js';

export interface PhaseRow {
  title: string;
  budget: string;
  actual: string;
  cumulative: string;
  status: string;
}

/**
 * The timeline table as data, for the terminal, Markdown and HTML alike. The total row's verdict is the
 * run's verdict (time to recover, interruptions included; a run that did not recover is never within target),
 * not the sum of the phase bars.
 */
export function phaseTimeline(r: Report): {
  header: string[];
  rows: PhaseRow[];
  total: { budget: string; actual: string; ttr: string; verdict: string; ok: boolean };
} {
  const simulated = r.verdict.simulated;
  const outside = new Set(r.verdict.outsidePhases);
  let cumulative = 0;
  const rows = r.phases.map((p): PhaseRow => {
    cumulative += p.actualMs ?? 0;
    return {
      title: p.title,
      budget: formatDuration(p.budgetMs),
      actual: p.actualMs === null ? 'n/a' : formatDuration(p.actualMs),
      cumulative: formatDuration(cumulative),
      status: `${p.actualMs === null ? 'not reached' : p.overrun ? 'OVER BUDGET' : 'within budget'}${outside.has(p.id) ? ' (outside the RTO clock)' : ''}`,
    };
  });
  const budget = r.phases.reduce((n, p) => n + p.budgetMs, 0);
  return {
    header: ['Phase', 'Budget', simulated ? 'Projected' : 'Actual', 'Cumulative', 'Status'],
    rows,
    total: {
      budget: formatDuration(budget),
      actual: formatDuration(cumulative),
      ttr: ttrText(r.verdict),
      verdict: rtoText(r.verdict),
      ok: r.verdict.rtoMet === true,
    },
  };
}

/** The total row's last cell: time to recover, then the RTO judgement. */
export function totalStatus(t: ReturnType<typeof phaseTimeline>['total']): string {
  return `time to recover ${t.ttr}; ${t.verdict}`;
}
