import { countsTowardRto } from '../../plan/rto-clock.js';
import { formatDuration } from '../../model/duration.js';
import type { Runbook, Step } from '../../model/runbook.js';
import { describeCheck } from '../describe-check.js';
import type { MarkdownDocument } from '../markdown/document.js';
import { bullets, cell, code, inline, paragraphs, phaseLabel, quoteBlock, table } from '../markdown/text.js';
import type { IncidentView } from '../render-input.js';
import { cadenceLine, escalationTable } from './contacts-markdown.js';
import { renderStep, type StepContext } from './step-markdown.js';
import { timelineTable } from './timeline-table.js';
import { rollbackRunOrder } from '../../plan/rollback-order.js';

export function incidentHeading(view: IncidentView): string {
  return `${view.incident.id}: ${view.incident.title}`;
}

type SectionContext = Omit<StepContext, 'number'>;

/** One incident, in the order a responder needs it: when it applies, what to do phase by phase, who to tell. */
export function renderIncident(
  doc: MarkdownDocument,
  runbook: Runbook,
  view: IncidentView,
  vars: Map<string, string>,
): void {
  const { incident, plan } = view;
  const ctx: SectionContext = {
    vars,
    channels: new Map(plan.communication.flatMap((t) => (t.channel ? [[t.id, t.channel] as const] : []))),
  };
  renderSummary(doc, view);
  renderBeforeStart(doc, view);
  renderRecoveredWhen(doc, view);
  renderPhases(doc, view, ctx);
  renderSection(
    doc,
    view,
    ctx,
    'Rollback',
    'R',
    rollbackRunOrder(incident.rollback),
    'When a step with `on_failure: rollback` fails, these steps run in this order (the runbook lists them as an undo stack, last first).',
  );
  renderSection(doc, view, ctx, 'Always', 'A', incident.always, 'Run at the end of every run, whatever happened.');
  renderSection(doc, view, ctx, 'Cleanup', 'C', incident.cleanup, 'Run after recovery to leave the estate tidy.');
  doc.heading(3, 'Timeline summary');
  doc.block(...timelineTable(plan));
  renderMetrics(doc, view);
  renderCommunication(doc, view);
  renderEscalation(doc, runbook, view);
}

function renderSummary(doc: MarkdownDocument, view: IncidentView): void {
  const { incident, plan } = view;
  doc.heading(2, incidentHeading(view));
  doc.block(
    ...table(
      ['Severity', 'RTO', 'RPO', 'Type', 'Phases', 'Steps', 'Drilled'],
      [
        [
          incident.severity.toUpperCase(),
          incident.rto,
          plan.incident.rpo ?? 'n/a',
          incident.type ?? 'incident',
          String(plan.phases.length),
          String(plan.phases.reduce((n, p) => n + p.steps.length, 0)),
          cell(schedule(view)),
        ],
      ],
    ),
  );
  if (incident.description) doc.block(...paragraphs(incident.description));
  if (incident.schedule?.note) doc.block(`**Drill schedule:** ${inline(incident.schedule.note)}`);
}

function renderBeforeStart(doc: MarkdownDocument, { incident }: IncidentView): void {
  doc.heading(3, 'Triggers');
  doc.block(...bullets(incident.triggers));
  if (incident.prerequisites?.length) {
    doc.heading(3, 'Before you start');
    doc.block(...incident.prerequisites.map((p) => `- [ ] ${inline(p)}`));
  }
}

function renderRecoveredWhen(doc: MarkdownDocument, { incident, plan }: IncidentView): void {
  doc.heading(3, 'Recovered when');
  doc.block(
    `The RTO clock stops when all of these hold${plan.incident.rpoMeasure ? `; the data-loss window is ${code(`{{ ${plan.incident.rpoMeasure} }}`)} seconds, captured during the run` : ''}:`,
  );
  doc.block(...plan.recovered.map((c) => `- ${describeCheck(c)}`));
  if (incident.success_criteria?.length) doc.block('Success criteria:', '', ...bullets(incident.success_criteria));
}

function renderPhases(doc: MarkdownDocument, view: IncidentView, ctx: SectionContext): void {
  const { incident, plan } = view;
  let cumulative = 0;
  incident.phases.forEach((phase, p) => {
    const planned = plan.phases[p];
    if (!planned) return;
    if (countsTowardRto(planned)) cumulative += planned.budgetMs;
    doc.heading(3, `${phaseLabel(p, phase.title)} (${phase.budget})`, true);
    doc.block(
      countsTowardRto(planned)
        ? `**Budget ${phase.budget}**, ${formatDuration(cumulative)} of the ${incident.rto} RTO used by the end of this phase.`
        : `**Budget ${phase.budget}**, outside the RTO clock: held to its own budget, not counted in the time to recover.`,
    );
    if (phase.description) doc.block(...paragraphs(phase.description));
    if (phase.success?.length) doc.block('Done when:', '', ...bullets(phase.success));
    phase.steps.forEach((step, s) => {
      renderStep(doc, step, view.step(step.id), { ...ctx, number: `${p + 1}.${s + 1}` });
    });
  });
}

function renderMetrics(doc: MarkdownDocument, { incident }: IncidentView): void {
  if (!incident.metrics?.length) return;
  doc.heading(3, 'Metrics to record');
  doc.block(
    ...table(
      ['Metric', 'Target', 'Measured'],
      incident.metrics.map((m) => [
        cell(m.name),
        cell(m.target ? `${m.target}${m.unit ? ` ${m.unit}` : ''}` : '—'),
        `______ ${cell(m.unit ?? '')}`.trim(),
      ]),
    ),
  );
}

function renderCommunication(doc: MarkdownDocument, { incident }: IncidentView): void {
  if (!incident.communication?.length) return;
  doc.heading(3, 'Communication templates');
  doc.block('`{{ elapsed }}`, `{{ eta }}` and the other run-time values are filled in when the message is sent.');
  for (const t of incident.communication) {
    const about = [t.audience && `to ${t.audience}`, t.channel && `via ${t.channel}`].filter(Boolean).join(', ');
    doc.block(
      `**${inline(t.title ?? t.id)}** (${code(t.id)}${about ? `, ${inline(about)}` : ''}):`,
      '',
      ...quoteBlock(t.text),
    );
  }
}

function renderEscalation(doc: MarkdownDocument, runbook: Runbook, { incident }: IncidentView): void {
  doc.heading(3, 'Escalation');
  doc.block(...escalationTable(runbook, incident.escalation ?? runbook.escalation ?? []));
  const cadence = cadenceLine(incident.status_updates ?? runbook.status_updates);
  if (cadence) doc.block(cadence);
}

function renderSection(
  doc: MarkdownDocument,
  view: IncidentView,
  ctx: SectionContext,
  title: string,
  prefix: string,
  steps: Step[] | undefined,
  note: string,
): void {
  if (!steps?.length) return;
  doc.heading(3, title, true);
  doc.block(note);
  steps.forEach((step, i) => {
    renderStep(doc, step, view.step(step.id), { ...ctx, number: `${prefix}${i + 1}` });
  });
}

function schedule(view: IncidentView): string {
  const s = view.incident.schedule;
  if (!s) return '—';
  return [s.cadence, s.cron && `cron ${s.cron}`].filter(Boolean).join(', ') || '—';
}
