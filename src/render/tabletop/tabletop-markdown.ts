import { rtoBudgetMs } from '../../plan/rto-clock.js';
import { formatDuration } from '../../model/duration.js';
import { MarkdownDocument, Slugger, withTitleAndContents } from '../markdown/document.js';
import { bullets, cell, code, inline, paragraphs, table } from '../markdown/text.js';
import { generatedNote, type IncidentView, type RenderInput } from '../render-input.js';
import { escalationTable, rolesTable } from '../runbook/contacts-markdown.js';
import { timelineTable } from '../runbook/timeline-table.js';
import { drillReportTemplate } from './drill-report-template.js';
import { agenda, clock, injectPhase, phasesByStage, sessionMs, STAGES, type AgendaSlot } from './walkthrough.js';

/** The seeds' tabletop objectives, used when the incident names none. */
const DEFAULT_OBJECTIVES = ['Review DR procedures', 'Identify gaps in documentation', 'Test team communication', 'Validate contact information', 'Update runbooks'];
const MATERIALS = (id: string) => [`This runbook, printed for this incident (\`drillbook render --format html --incident ${id}\`)`, `The checklists (\`drillbook render --format checklist --incident ${id}\`)`, 'System architecture diagrams', 'Contact lists and the escalation matrix', 'Backup inventory', 'RTO/RPO documentation'];
/** The seeds' drill roles, used when neither the exercise nor the runbook names any. */
const DEFAULT_ROLES = [
  { role: 'Incident Commander', responsibilities: ['Overall coordination', 'Decision making', 'External communication'] },
  { role: 'Database Lead', responsibilities: ['Database recovery', 'Data integrity verification', 'Replication setup'] },
  { role: 'Infrastructure Lead', responsibilities: ['Server provisioning', 'Network configuration', 'DNS management'] },
  { role: 'Application Lead', responsibilities: ['Application deployment', 'Configuration management', 'Service verification'] },
  { role: 'Communications Lead', responsibilities: ['Customer notifications', 'Status updates', 'Stakeholder communication'] },
  { role: 'Documentation Lead', responsibilities: ['Record timeline', 'Document issues', 'Capture lessons learned'] },
];
const EXERCISE_SUCCESS = ['All participants understand their roles', 'Recovery procedures are clear', 'Communication plan is validated', 'Gaps are documented', 'Action items are assigned', 'Documentation is updated'];
const GAP_ROWS = 5;

/**
 * A facilitator guide for one incident (the seeds' tabletop exercise): scenario card, objectives, roles,
 * a timed walkthrough with discussion questions and injects, the review, and the post-drill report.
 */
export function tabletopMarkdown(input: RenderInput, view: IncidentView): string {
  const { runbook } = input;
  const { incident, plan } = view;
  const tabletop = incident.tabletop ?? {};
  const title = `Tabletop exercise: ${incident.id} ${incident.title}`;
  const slugger = new Slugger();
  slugger.slug(title);
  slugger.slug('Contents');
  const doc = new MarkdownDocument(slugger);
  const session = sessionMs(incident);
  const slots = agenda(session);

  doc.heading(2, 'Scenario card');
  doc.block(...table(['Incident', 'Severity', 'RTO', 'RPO', 'Session'], [[cell(`${incident.id} ${incident.title}`), incident.severity.toUpperCase(), incident.rto, plan.incident.rpo ?? 'n/a', formatDuration(session)]]));
  doc.block('Read aloud to open the exercise:', '', ...paragraphs(tabletop.scenario ?? incident.description ?? incident.title).map((l) => (l ? `> ${l}` : '>')));
  doc.block('**What the team sees** (triggers):', '', ...bullets(incident.triggers));
  if (incident.success_criteria?.length) doc.block('**The recovery is done when:**', '', ...bullets(incident.success_criteria));

  doc.heading(2, 'Objectives');
  doc.block(...(tabletop.objectives?.length ? tabletop.objectives : DEFAULT_OBJECTIVES).map((o) => `- [ ] ${inline(o)}`));

  doc.heading(2, 'Participants and roles');
  const roles = tabletop.participants?.length ? tabletop.participants : runbook.roles?.length ? runbook.roles : DEFAULT_ROLES;
  doc.block(...rolesTable(roles));
  doc.block('Attendance:', '', ...table(['Role', 'Name', 'Present'], roles.map((r) => [cell(r.role), FILL, '[ ]'])));
  doc.block('Escalation as the runbook defines it (check every name and number during the exercise):', '', ...escalationTable(runbook));

  doc.heading(2, 'Agenda');
  doc.block(...table(['Block', 'From', 'To', 'Length'], slots.map((s) => [s.title, `T+${clock(s.startMin)}`, `T+${clock(s.endMin)}`, `${s.endMin - s.startMin} min`])));
  doc.block('**Briefing:** read the scenario card, go through the objectives and roles, and agree the rules: nothing is executed, every gap is written down, and the facilitator keeps the time.');
  doc.block(`Before the session (about 30 minutes): book the room, send the invitations and hand out the materials. The incident's own clock: its phases${plan.phases.some((p) => p.outsideRto) ? ' on the RTO clock' : ''} have budgets adding up to ${formatDuration(rtoBudgetMs(plan.phases))} against an RTO of ${incident.rto}.`);
  doc.block('Materials:', '', ...MATERIALS(incident.id).map((m) => `- [ ] ${m}`));

  doc.heading(2, 'Walkthrough');
  const byStage = phasesByStage(incident.phases);
  const injects = (tabletop.injects ?? []).map((inj) => ({ ...inj, phaseIndex: injectPhase(incident.phases, inj) }));
  for (const [n, stage] of STAGES.entries()) {
    const slot = slots.find((s) => s.id === stage.id) as AgendaSlot;
    doc.heading(3, `${n + 1}. ${stage.title} (T+${clock(slot.startMin)} to T+${clock(slot.endMin)})`, true);
    const phases = byStage[stage.id];
    for (const p of phases) {
      const phase = incident.phases[p];
      const planned = plan.phases[p];
      if (!phase || !planned) continue;
      doc.block(`**Phase ${p + 1}: ${inline(phase.title)}** (budget ${phase.budget}): ${phase.steps.map((s, i) => `${p + 1}.${i + 1} ${inline(s.title)}`).join('; ')}.`);
      if (phase.success?.length) doc.block(`Done when: ${phase.success.map((t) => inline(t)).join('; ')}.`);
    }
    if (stage.id === 'assessment' && phases.length === 0) doc.block('The runbook goes straight from detection to recovery: ask what the team needs to know before it changes anything.');
    if (stage.id === 'communication') renderCommunication(doc, view);
    for (const inj of injects.filter((i) => phases.includes(i.phaseIndex))) {
      doc.block(`> **Inject at ${inj.at}** into the incident (phase ${inj.phaseIndex + 1}): ${inline(inj.text)}`);
    }
    const questions = [...phases.flatMap((p) => incident.phases[p]?.questions ?? []), ...stage.questions];
    doc.block('Discussion questions:', '', ...questions.map((q, i) => `${i + 1}. ${inline(q)}`));
    doc.block(`Notes: ${FILL}`);
  }

  doc.heading(2, 'Review and improve');
  if (tabletop.questions?.length) doc.block('Closing questions:', '', ...tabletop.questions.map((q, i) => `${i + 1}. ${inline(q)}`));
  doc.block('Gaps and action items:', '', ...table(['#', 'Gap found', 'Phase', 'Owner', 'Due', 'Priority'], Array.from({ length: GAP_ROWS }, (_, i) => [String(i + 1), FILL, '', '', '', 'H / M / L'])));
  doc.block('The exercise succeeded when:', '', ...EXERCISE_SUCCESS.map((s) => `- [ ] ${s}`));
  doc.heading(3, 'Timeline the runbook promises');
  doc.block(...timelineTable(plan));

  doc.heading(2, 'Post-drill report template');
  doc.block('Copy, fill in and file with the compliance documentation.', '', ...drillReportTemplate(view));

  return withTitleAndContents(generatedNote(input), title, [`Facilitator guide · ${inline(runbook.metadata.title)} v${runbook.metadata.version} · owner ${inline(runbook.metadata.owner)} · no production impact`], doc);
}

const FILL = '______';

function renderCommunication(doc: MarkdownDocument, { incident, plan }: IncidentView): void {
  const notifies = plan.phases.flatMap((phase, p) => phase.steps.map((s, i) => ({ s, number: `${p + 1}.${i + 1}` }))).filter(({ s }) => s.kind === 'notify');
  if (notifies.length > 0) doc.block(`Status updates the runbook sends: ${notifies.map(({ s, number }) => `${number} ${inline(s.title)}${s.notify?.template ? ` (${code(s.notify.template)})` : ''}`).join('; ')}.`);
  const templates = incident.communication ?? [];
  if (templates.length > 0) {
    doc.block(...table(['Template', 'Audience', 'Channel'], templates.map((t) => [`${cell(t.title ?? t.id)} (${code(t.id)})`, cell(t.audience ?? '—'), cell(t.channel ?? '—')])));
  } else {
    doc.block('This incident has no communication templates: agree on one during the exercise.');
  }
}
