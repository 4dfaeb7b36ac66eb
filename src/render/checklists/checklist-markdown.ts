import type { Checklist, ChecklistItem, Runbook } from '../../model/runbook.js';
import type { MarkdownDocument } from '../markdown/document.js';
import { FILL_IN, inline } from '../markdown/text.js';

/** Stages in the order a team lives through them. */
export const STAGES: { stage: string; title: string }[] = [
  { stage: 'pre-disaster', title: 'Pre-disaster' },
  { stage: 'active-incident', title: 'Active incident' },
  { stage: 'post-recovery', title: 'Post-recovery' },
  { stage: 'pre-test', title: 'Before a test or drill' },
  { stage: 'post-test', title: 'After a test or drill' },
];

const CADENCE_LABEL: Record<string, string> = {
  daily: 'daily',
  weekly: 'weekly',
  monthly: 'monthly',
  quarterly: 'quarterly',
  annually: 'annually',
  immediate: 'immediately after recovery',
  'short-term': 'short term',
  'long-term': 'long term',
  'per-phase': 'per phase',
};

/** `- [ ] item`, with a fill-in field when the item asks to record a value. */
export function taskItem(item: ChecklistItem): string {
  if (typeof item === 'string') return `- [ ] ${inline(item)}`;
  if (!item.record) return `- [ ] ${inline(item.item)}`;
  return `- [ ] ${inline(item.item)} — ${inline(item.record)}: ${FILL_IN}${item.unit ? ` ${inline(item.unit)}` : ''}`;
}

/** The runbook's checklists grouped by stage, each stage a heading at `level`, each checklist one below. */
export function renderChecklists(
  doc: MarkdownDocument,
  runbook: Runbook,
  checklists: Checklist[],
  level: number,
): void {
  const known = new Set(STAGES.map((s) => s.stage));
  const stages = [
    ...STAGES,
    ...[...new Set(checklists.map((c) => c.stage))]
      .filter((s) => !known.has(s))
      .map((stage) => ({ stage, title: stage })),
  ];
  for (const { stage, title } of stages) {
    const inStage = checklists.filter((c) => c.stage === stage);
    if (inStage.length === 0) continue;
    doc.heading(level, title);
    for (const checklist of inStage) {
      doc.heading(level + 1, checklist.title);
      const about = [
        checklist.cadence && CADENCE_LABEL[checklist.cadence],
        checklist.incident && incidentLabel(runbook, checklist.incident),
      ].filter(Boolean);
      if (about.length > 0) doc.block(`*${about.map((a) => inline(a ?? '')).join(' · ')}*`);
      doc.block(...checklist.items.map(taskItem));
    }
  }
}

function incidentLabel(runbook: Runbook, id: string): string {
  const incident = runbook.incidents.find((i) => i.id === id);
  return incident ? `${id} ${incident.title}` : id;
}
