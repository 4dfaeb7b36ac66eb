import { causeLines, verdictLine } from '../verdict/verdict-text.js';
import type { Report } from './build-report.js';
import { phaseTimeline, totalStatus } from './phase-timeline.js';

/** What `drillbook run` prints when a run ends (Listr and plain alike): the timeline, the verdict line, the cause. */
export function summaryText(r: Report, table: (header: string[], rows: string[][]) => string): string {
  const t = phaseTimeline(r);
  const rows = t.rows.map((p) => [p.title, p.budget, p.actual, p.cumulative, p.status]);
  rows.push(['Total', t.total.budget, t.total.actual, '', totalStatus(t.total)]);
  const lines = [
    r.verdict.simulated ? 'Projected timeline' : 'Timeline',
    '',
    table(t.header, rows).trimEnd(),
    '',
    verdictLine(r.verdict),
    ...causeLines(r.verdict),
  ];
  return lines.join('\n');
}
