import { causeLines, verdictLine } from '../verdict/verdict-text.js';
import type { Report } from './build-report.js';
import { phaseTimeline, totalStatus } from './phase-timeline.js';
import { communicationRows } from './communications.js';

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
    ...communicationsText(r, table),
    verdictLine(r.verdict),
    ...causeLines(r.verdict),
  ];
  return lines.join('\n');
}

/** The communications table, when the run had any: escalations and status updates on the (projected) clock. */
function communicationsText(r: Report, table: (header: string[], rows: string[][]) => string): string[] {
  const rows = communicationRows(r.communications);
  if (rows.length === 0) return [];
  return [
    'Communications',
    '',
    table(
      ['At', 'What', 'To', 'Result'],
      rows.map((c) => [c.at, c.what, c.to, c.result]),
    ).trimEnd(),
    '',
  ];
}
