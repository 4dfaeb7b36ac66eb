import { approvalNeed } from '../../model/approval-need.js';
import type { Step } from '../../model/runbook.js';
import { MarkdownDocument, Slugger, withTitleAndContents } from '../markdown/document.js';
import { codeBlock, FILL_IN, inline, phaseLabel } from '../markdown/text.js';
import type { PlanStep } from '../../plan/plan-types.js';
import { commandText } from '../runbook/step-markdown.js';
import { generatedNote, type IncidentView, type RenderInput } from '../render-input.js';
import { titleBlock } from '../title-block.js';
import { renderChecklists, taskItem } from './checklist-markdown.js';
import { rollbackRunOrder } from '../../plan/rollback-order.js';
import { escalationLine } from '../../plan/plan-comms.js';

/**
 * The checklists document: the runbook's checklists by stage, then one checklist per incident made from
 * its phases, with a blank for every value a step or a metric asks to record. Printed and ticked by hand.
 */
export function checklistMarkdown(input: RenderInput, views: IncidentView[], only?: string): string {
  const { runbook } = input;
  const title = `Checklists: ${runbook.metadata.title}${only ? ` (${only})` : ''}`;
  const slugger = new Slugger();
  slugger.slug(title);
  slugger.slug('Contents');
  const body = new MarkdownDocument(slugger);
  const checklists = (runbook.checklists ?? []).filter((c) => !only || !c.incident || c.incident === only);
  renderChecklists(body, runbook, checklists, 2);
  if (views.length > 0) {
    body.heading(2, 'Incident step checklists');
    body.block(
      'One line per step of each incident, in the order a run walks them. Tick each step as it is done and write down what it asks to record.',
    );
    for (const view of views) renderIncidentChecklist(body, view);
  }
  return withTitleAndContents(
    generatedNote(input),
    title,
    [
      ...titleBlock(runbook),
      '',
      'Tick each item as it is done; write measured values in the blanks and file the sheet with the drill or incident report.',
    ],
    body,
  );
}

function renderIncidentChecklist(doc: MarkdownDocument, view: IncidentView): void {
  const { incident, plan } = view;
  const stepItem = (step: Step, number: string): string[] => stepItemLines(step, view.step(step.id), number);
  doc.heading(3, `${incident.id} ${incident.title}`, true);
  doc.block(`*RTO ${incident.rto} · RPO ${plan.incident.rpo ?? 'n/a'} · severity ${incident.severity}*`);
  doc.block(
    taskItem({ item: 'Incident declared', record: 'Detection time', unit: 'UTC' }),
    ...(incident.prerequisites ?? []).map((p) => taskItem(`Ready: ${p}`)),
  );
  const comms = commsItems(view);
  if (comms.length > 0) {
    doc.heading(4, 'Escalation and status updates');
    doc.block(...comms);
  }
  incident.phases.forEach((phase, p) => {
    doc.heading(4, `${phaseLabel(p, phase.title)} (${phase.budget})`);
    doc.block(
      ...phase.steps.flatMap((step, s) => stepItem(step, `${p + 1}.${s + 1}`)),
      taskItem({ item: `Phase ${p + 1} done`, record: 'Time taken', unit: `minutes (budget ${phase.budget})` }),
    );
  });
  for (const [section, prefix, steps] of [
    ['Rollback (only if needed)', 'R', rollbackRunOrder(incident.rollback)],
    ['Always', 'A', incident.always],
    ['Cleanup', 'C', incident.cleanup],
  ] as const) {
    if (!steps?.length) continue;
    doc.heading(4, section);
    doc.block(...steps.flatMap((step, i) => stepItem(step, `${prefix}${i + 1}`)));
  }
  doc.heading(4, 'Measurements');
  doc.block(
    taskItem({ item: 'Recovered', record: 'Recovery time', unit: 'UTC' }),
    taskItem({ item: `Time to recover within RTO ${incident.rto}`, record: 'Time to recover', unit: 'minutes' }),
    ...(plan.incident.rpo
      ? [taskItem({ item: `Data loss within RPO ${plan.incident.rpo}`, record: 'Data-loss window', unit: 'seconds' })]
      : []),
    ...(incident.metrics ?? []).map(
      (m) =>
        `- [ ] ${inline(m.name)}: ${FILL_IN}${m.unit ? ` ${inline(m.unit)}` : ''}${m.target ? ` (target ${inline(m.target)})` : ''}`,
    ),
  );
}

/** A step as a task: number and title, a blank for each value it asks to record, and its command as code. */
function stepItemLines(step: Step, planned: PlanStep, number: string): string[] {
  const approval = step.approval
    ? ` (${inline(approvalNeed(step.approval))})`
    : step.confirm
      ? ' (needs approval)'
      : '';
  const records = (step.record ?? []).map((r) => ` — ${inline(r)}: ${FILL_IN}`).join('');
  const command = commandText(planned);
  const code = command === undefined ? [] : codeBlock(command, 'sh').map((line) => (line === '' ? '' : `  ${line}`));
  return [`- [ ] ${number} ${inline(step.title)}${approval}${records}`, ...code];
}

/** A line per escalation level the clock fires (when, what, who is notified) and the status cadence, to tick as they happen. */
function commsItems({ plan }: IncidentView): string[] {
  const levels = plan.comms.escalation.map((l) =>
    taskItem({
      item: `${l.after !== undefined ? `At ${l.after}` : 'By decision'}: ${escalationLine(l)}${l.notify.length > 0 ? ` (notify ${l.notify.join(', ')})` : ''}`,
      record: 'Time',
      unit: 'UTC',
    }),
  );
  const cadence = plan.comms.statusUpdates;
  return cadence
    ? [
        ...levels,
        taskItem({
          item: `Status update every ${cadence.every}${cadence.notify.length > 0 ? ` to ${cadence.notify.join(', ')}` : ''}`,
          record: 'Updates sent',
        }),
      ]
    : levels;
}
