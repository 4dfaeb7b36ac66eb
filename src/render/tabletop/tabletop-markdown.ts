import { approvalNeed } from '../../model/approval-need.js';
import { rtoBudgetMs } from '../../plan/rto-clock.js';
import { formatDuration } from '../../model/duration.js';
import { MarkdownDocument, Slugger, withTitleAndContents } from '../markdown/document.js';
import { bullets, cell, code, FILL_IN as FILL, inline, NOTES_LINE, paragraphs, table } from '../markdown/text.js';
import { generatedNote, type IncidentView, type RenderInput } from '../render-input.js';
import { escalationTable, rolesTable } from '../runbook/contacts-markdown.js';
import { timelineTable } from '../runbook/timeline-table.js';
import { drillReportTemplate } from './drill-report-template.js';
import {
  agenda,
  clock,
  injectPhase,
  newQuestions,
  sessionMs,
  STANDARD_QUESTIONS,
  type AgendaSlot,
} from './walkthrough.js';
import { rollbackRunOrder } from '../../plan/rollback-order.js';
import type { Incident, Role, Runbook, Step } from '../../model/runbook.js';

/** The seeds' tabletop objectives, used when the incident names none (the guide and the session room). */
export const DEFAULT_OBJECTIVES = [
  'Review DR procedures',
  'Identify gaps in documentation',
  'Test team communication',
  'Validate contact information',
  'Update runbooks',
];
const MATERIALS = (id: string) => [
  `This runbook, printed for this incident (\`drillbook render --format html --incident ${id}\`)`,
  `The checklists (\`drillbook render --format checklist --incident ${id}\`)`,
  'System architecture diagrams',
  'Contact lists and the escalation matrix',
  'Backup inventory',
  'RTO/RPO documentation',
];
const EXERCISE_SUCCESS = [
  'All participants understand their roles',
  'Recovery procedures are clear',
  'Communication plan is validated',
  'Gaps are documented',
  'Action items are assigned',
  'Documentation is updated',
];
const GAP_ROWS = 5;

/**
 * A facilitator guide for one incident (the seeds' tabletop exercise): scenario card, objectives, roles,
 * a timed walkthrough with discussion questions and injects, the review, and the post-drill report.
 */
export function tabletopMarkdown(input: RenderInput, view: IncidentView): string {
  const { runbook } = input;
  const { incident } = view;
  const title = `Tabletop exercise: ${incident.id} ${incident.title}`;
  const slugger = new Slugger();
  slugger.slug(title);
  slugger.slug('Contents');
  const doc = new MarkdownDocument(slugger);
  const slots = agenda(incident);
  const asked = new Set<string>();
  // The runbook's own questions claim their wording first; the seeds' standard ones fill in what they leave.
  const phaseQuestions = incident.phases.map((p) => newQuestions(p.questions ?? [], asked));
  const closing = newQuestions(incident.tabletop?.questions ?? [], asked);
  const standing = newQuestions(STANDARD_QUESTIONS, asked);

  renderScenarioCard(doc, view);
  renderObjectivesAndRoles(doc, runbook, view);
  renderAgenda(doc, view, slots);
  renderWalkthrough(doc, view, slots, phaseQuestions, standing);
  renderExtraSteps(doc, incident);
  renderCommunication(doc, view);
  renderReview(doc, view, closing);

  doc.heading(2, 'Post-drill report template');
  doc.block('Fill in and file with the compliance documentation.');
  drillReportTemplate(doc, view);

  return withTitleAndContents(
    generatedNote(input),
    title,
    [
      `Facilitator guide · ${inline(runbook.metadata.title)} v${runbook.metadata.version} · owner ${inline(runbook.metadata.owner)} · no production impact`,
    ],
    doc,
  );
}

/** The card read aloud to open the exercise: the incident, its targets, what the team sees, when it is done. */
function renderScenarioCard(doc: MarkdownDocument, { incident, plan }: IncidentView): void {
  const tabletop = incident.tabletop ?? {};
  const session = sessionMs(incident);
  doc.heading(2, 'Scenario card');
  doc.block(
    ...table(
      ['Incident', 'Severity', 'RTO', 'RPO', 'Session'],
      [
        [
          cell(`${incident.id} ${incident.title}`),
          incident.severity.toUpperCase(),
          incident.rto,
          plan.incident.rpo ?? 'n/a',
          formatDuration(session),
        ],
      ],
    ),
  );
  doc.block(
    'Read aloud to open the exercise:',
    '',
    ...paragraphs(tabletop.scenario ?? incident.description ?? incident.title).map((l) => (l ? `> ${l}` : '>')),
  );
  doc.block('**What the team sees** (triggers):', '', ...bullets(incident.triggers));
  if (incident.success_criteria?.length)
    doc.block('**The recovery is done when:**', '', ...bullets(incident.success_criteria));
}

/** Objectives, roles (the runbook's own, never generic ones), attendance and the escalation matrix. */
function renderObjectivesAndRoles(doc: MarkdownDocument, runbook: Runbook, { incident }: IncidentView): void {
  const tabletop = incident.tabletop ?? {};
  doc.heading(2, 'Objectives');
  doc.block(
    ...(tabletop.objectives?.length ? tabletop.objectives : DEFAULT_OBJECTIVES).map((o) => `- [ ] ${inline(o)}`),
  );

  doc.heading(2, 'Participants and roles');
  const roles = tabletop.participants?.length
    ? tabletop.participants
    : runbook.roles?.length
      ? runbook.roles
      : contactRoles(runbook);
  if (roles.length > 0) {
    doc.block(...rolesTable(roles));
    doc.block(
      'Attendance:',
      '',
      ...table(
        ['Role', 'Name', 'Present'],
        roles.map((r) => [cell(r.role), FILL, '[ ]']),
      ),
    );
  } else {
    doc.block(
      'The runbook names no roles or contacts: agree at the start who decides, who executes and who keeps the record.',
    );
  }
  doc.block(
    'Escalation as the runbook defines it (check every name and number during the exercise):',
    '',
    ...escalationTable(runbook),
  );
}

/** Each phase for its own budget: its steps, injects at their offsets, and its discussion questions (each asked once). */
function renderWalkthrough(
  doc: MarkdownDocument,
  { incident }: IncidentView,
  slots: AgendaSlot[],
  phaseQuestions: string[][],
  standing: string[],
): void {
  const tabletop = incident.tabletop ?? {};
  doc.heading(2, 'Walkthrough');
  doc.block(
    'Walk the phases in order, each for its own budget, against the incident clock. Nothing is executed: for each step, ask who does it, how, and how the team knows it worked.',
  );
  if (standing.length > 0)
    doc.block('Keep asking, in every phase:', '', ...standing.map((q, i) => `${i + 1}. ${inline(q)}`));
  const injects = (tabletop.injects ?? []).map((inj) => ({ ...inj, phaseIndex: injectPhase(incident.phases, inj) }));
  for (const slot of slots) {
    if (slot.phaseIndex === undefined) continue;
    const p = slot.phaseIndex;
    const phase = incident.phases[p];
    if (!phase) continue;
    doc.heading(3, `${slot.title} (T+${clock(slot.startMs)} to T+${clock(slot.endMs)})`, true);
    doc.block(`**Budget ${phase.budget}.** Steps:`, '', ...phase.steps.map((s, i) => stepLine(s, `${p + 1}.${i + 1}`)));
    if (phase.success?.length) doc.block(`Done when: ${phase.success.map((t) => inline(t)).join('; ')}.`);
    for (const inj of injects.filter((i) => i.phaseIndex === p)) {
      doc.block(`> **Inject at ${inj.at}** into the incident: ${inline(inj.text)}`);
    }
    const questions = phaseQuestions[p] ?? [];
    if (questions.length > 0)
      doc.block('Discussion questions:', '', ...questions.map((q, i) => `${i + 1}. ${inline(q)}`));
    doc.block(NOTES_LINE);
  }
}

/** Closing questions, the gaps table, what success means, and the timeline the runbook promises. */
function renderReview(doc: MarkdownDocument, { plan }: IncidentView, closing: string[]): void {
  doc.heading(2, 'Review and improve');
  if (closing.length > 0) doc.block('Closing questions:', '', ...closing.map((q, i) => `${i + 1}. ${inline(q)}`));
  doc.block(
    'Gaps and action items:',
    '',
    ...table(
      ['#', 'Gap found', 'Phase', 'Owner', 'Due', 'Priority'],
      Array.from({ length: GAP_ROWS }, (_, i) => [String(i + 1), FILL, '', '', '', 'H / M / L']),
    ),
  );
  doc.block('The exercise succeeded when:', '', ...EXERCISE_SUCCESS.map((s) => `- [ ] ${s}`));
  doc.heading(3, 'Timeline the runbook promises');
  doc.block(...timelineTable(plan));
}

function renderAgenda(doc: MarkdownDocument, { incident, plan }: IncidentView, slots: AgendaSlot[]): void {
  doc.heading(2, 'Agenda');
  doc.block(
    ...table(
      ['Block', 'From', 'To', 'Length'],
      slots.map((s) => [cell(s.title), `T+${clock(s.startMs)}`, `T+${clock(s.endMs)}`, s.length]),
    ),
  );
  const phasesMs = plan.phases.reduce((n, p) => n + p.budgetMs, 0);
  const session = sessionMs(incident);
  if (phasesMs > session)
    doc.block(
      `The phases' budgets add up to ${formatDuration(phasesMs)}, longer than the ${formatDuration(session)} session: book a longer session (\`tabletop.duration\`) or agree which phases to walk quickly.`,
    );
  if (slots.some((s) => s.kind === 'briefing'))
    doc.block(
      '**Briefing:** read the scenario card, go through the objectives and roles, and agree the rules: nothing is executed, every gap is written down, and the facilitator keeps the time.',
    );
  const outside = plan.phases.some((p) => p.outsideRto);
  doc.block(
    `Before the session (about 30 minutes): book the room, send the invitations and hand out the materials. Each phase is walked for its own budget: together ${formatDuration(phasesMs)}${outside ? `, of which ${formatDuration(rtoBudgetMs(plan.phases))} on the RTO clock,` : ''} against an RTO of ${incident.rto}.`,
  );
  doc.block('Materials:', '', ...MATERIALS(incident.id).map((m) => `- [ ] ${m}`));
}

/** A step as the walkthrough lists it: number, title, and whether it changes the system. */
function stepLine(step: Step, number: string): string {
  const need = step.approval ? inline(approvalNeed(step.approval), false) : 'needs approval';
  const mark = step.confirm ? ` (**destructive**: ${need})` : step.approval ? ` (${need})` : '';
  return `- ${number} ${inline(step.title, false)}${mark}`;
}

/** Rollback, always and cleanup steps: the table discusses them too, in the order a run takes them. */
function renderExtraSteps(doc: MarkdownDocument, incident: Incident): void {
  const sections = [
    [
      'Rollback',
      'R',
      rollbackRunOrder(incident.rollback),
      'If a step that rolls back on failure fails, these run in this order. When would the team decide to roll back, and who decides?',
    ],
    ['Always', 'A', incident.always, 'These run at the end of every run, whatever happened.'],
    ['Cleanup', 'C', incident.cleanup, 'These run after recovery to leave the estate tidy.'],
  ] as const;
  for (const [title, prefix, steps, note] of sections) {
    if (!steps?.length) continue;
    doc.heading(3, title, true);
    doc.block(note, '', ...steps.map((s, i) => stepLine(s, `${prefix}${i + 1}`)));
  }
}

/** Without roles, the runbook's contacts are the people at the table, with the escalation levels they are in. */
function contactRoles(runbook: Runbook): Role[] {
  return (runbook.contacts ?? []).map((c) => {
    const levels = (runbook.escalation ?? []).filter((l) => l.contacts.includes(c.role)).map((l) => l.level);
    return { role: c.role, responsibilities: levels.length > 0 ? [`Escalation level ${levels.join(', ')}`] : [] };
  });
}

function renderCommunication(doc: MarkdownDocument, { incident, plan }: IncidentView): void {
  doc.heading(3, 'Communication', true);
  const notifies = plan.phases
    .flatMap((phase, p) => phase.steps.map((s, i) => ({ s, number: `${p + 1}.${i + 1}` })))
    .filter(({ s }) => s.kind === 'notify');
  if (notifies.length > 0)
    doc.block(
      `Status updates the runbook sends: ${notifies.map(({ s, number }) => `${number} ${inline(s.title)}${s.notify?.template ? ` (${code(s.notify.template)})` : ''}`).join('; ')}.`,
    );
  const templates = incident.communication ?? [];
  if (templates.length > 0) {
    doc.block(
      ...table(
        ['Template', 'Audience', 'Channel'],
        templates.map((t) => [
          `${cell(t.title ?? t.id)} (${code(t.id)})`,
          cell(t.audience ?? '—'),
          cell(t.channel ?? '—'),
        ]),
      ),
    );
  } else {
    doc.block('This incident has no communication templates: agree on one during the exercise.');
  }
}
