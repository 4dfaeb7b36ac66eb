import type { MarkdownDocument } from '../markdown/document.js';
import { cell, FILL_IN, table } from '../markdown/text.js';
import type { IncidentView } from '../render-input.js';

const ROWS = 3;
/** Numbered rows to write in: the number, then the given cells (empty ones are left to fill in). */
const rows = (...cells: string[]): string[][] => Array.from({ length: ROWS }, (_, i) => [String(i + 1), ...cells]);

/**
 * The seeds' post-drill report as a form to fill in by hand: its sections as headings and tables with
 * empty cells, pre-filled with what the runbook already knows (incident, targets, metrics).
 */
export function drillReportTemplate(doc: MarkdownDocument, { incident, plan }: IncidentView): void {
  doc.heading(3, `DR drill report: ${incident.id}`, false);
  doc.block(
    ...table(
      ['Field', 'Value'],
      [
        ['Date', ''],
        ['Drill type', cell(`Tabletop exercise (${incident.id} ${incident.title})`)],
        ['Duration', ''],
        ['Overall result', 'Success / Partial / Failed'],
      ],
    ),
  );
  doc.heading(4, 'Metrics', false);
  doc.block(
    ...table(
      ['Metric', 'Target', 'Achieved'],
      [
        ['RTO (walked-through time)', incident.rto, ''],
        ['RPO (estimated data loss)', plan.incident.rpo ?? 'n/a', ''],
        ...(incident.metrics ?? []).map((m) => [
          cell(m.name),
          cell(m.target ? `${m.target}${m.unit ? ` ${m.unit}` : ''}` : '—'),
          m.unit ? `${FILL_IN} ${cell(m.unit)}` : '',
        ]),
      ],
    ),
  );
  doc.heading(4, 'What went well', false);
  doc.block(...table(['#', 'What went well'], rows('')));
  doc.heading(4, 'Issues encountered', false);
  doc.block(...table(['#', 'Issue', 'Impact', 'Resolution', 'Action item'], rows('', 'H / M / L', '', '')));
  doc.heading(4, 'Action items', false);
  doc.block(...table(['#', 'Action', 'Owner', 'Due date', 'Priority'], rows('', '', '', 'H / M / L')));
  doc.heading(4, 'Recommendations', false);
  doc.block(...table(['#', 'Recommendation'], rows('')));
  doc.heading(4, 'Next steps', false);
  doc.block('- [ ] Update runbooks', '- [ ] Schedule training', '- [ ] Implement improvements');
}
