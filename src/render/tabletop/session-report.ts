import { formatDuration } from '../../model/duration.js';
import { MarkdownDocument } from '../markdown/document.js';
import { bullets, cell, inline, paragraphs, plural, table } from '../markdown/text.js';
import type { TabletopPlan } from './session-plan.js';
import type { SessionRecord } from './session-record.js';
import { clock } from './walkthrough.js';

const NO_ITEMS = (what: string) => `None recorded.${what ? ` ${what}` : ''}`;

/**
 * The seeds' post-drill report, filled in from a tabletop session's journal: the scenario the room was given,
 * the timeline of injects and of what the room recorded (on the exercise clock), the decisions, the gaps
 * found (issues) and the action items with their owners. Nothing in it is left as a blank to write on.
 */
export function sessionReportMarkdown(record: SessionRecord): string {
  const { started, ended } = record;
  const { incident, plan } = started;
  const doc = new MarkdownDocument();
  doc.heading(1, `DR drill report: tabletop ${incident.id} ${incident.title}`);
  summary(doc, record);
  doc.heading(2, 'Scenario');
  doc.block(...paragraphs(plan.scenario).map((l) => (l ? `> ${l}` : '>')));
  doc.block('**What the team saw** (triggers):', '', ...bullets(plan.triggers));
  doc.block('**Objectives:**', '', ...bullets(plan.objectives));
  timeline(doc, record);
  items(doc, record);
  questions(doc, plan);
  const missed = plan.injects.filter((inj) => !record.injects.some((e) => e.n === inj.n));
  if (ended && missed.length > 0) {
    doc.heading(2, 'Injects not reached');
    doc.block(
      'The session ended before the clock reached these:',
      '',
      ...table(
        ['#', 'At', 'Inject'],
        missed.map((inj) => [String(inj.n), `T+${clock(inj.atMs)}`, cell(inj.text)]),
      ),
    );
  }
  doc.heading(2, 'Next steps');
  doc.block('- [ ] Update runbooks', '- [ ] Schedule training', '- [ ] Implement improvements');
  return doc.text();
}

function summary(doc: MarkdownDocument, record: SessionRecord): void {
  const { started, ended, injects, decisions, gaps, actions } = record;
  const { incident, runbook, plan } = started;
  doc.block(
    ...table(
      ['Field', 'Value'],
      [
        ['Drill type', 'Tabletop exercise'],
        ['Date', started.at.slice(0, 10)],
        ['Incident', cell(`${incident.id} ${incident.title} (${incident.severity.toUpperCase()})`)],
        ['Runbook', cell(`${runbook.name} v${runbook.version} (sha256 ${runbook.sha256.slice(0, 12)})`)],
        ['Session', started.sessionId],
        ['Facilitator', cell(started.facilitator)],
        [
          'Duration',
          ended
            ? `${formatDuration(ended.clockMs)} on the exercise clock (${formatDuration(plan.sessionMs)} planned)`
            : 'in progress',
        ],
        ['Targets walked', `RTO ${incident.rto}, RPO ${incident.rpo ?? 'n/a'}`],
        [
          'Recorded',
          `${injects.length} of ${plural(plan.injects.length, 'inject')}, ${plural(decisions.length, 'decision')}, ${plural(gaps.length, 'gap')}, ${plural(actions.length, 'action item')}`,
        ],
      ],
    ),
  );
}

/** Injects and recorded items in exercise-clock order; an inject at its scheduled offset. */
function timeline(doc: MarkdownDocument, record: SessionRecord): void {
  const title = phaseTitles(record.started.plan);
  const rows: { ms: number; cells: string[] }[] = [
    ...record.injects.map((e) => ({ ms: e.atMs, cells: [title(e.phase), `Inject ${e.n}`, cell(e.text), ''] })),
    ...record.decisions.map((e) => ({ ms: e.clockMs, cells: [title(e.phase), 'Decision', cell(e.text), cell(e.by)] })),
    ...record.gaps.map((e) => ({ ms: e.clockMs, cells: [title(e.phase), 'Gap', cell(e.text), cell(e.by)] })),
    ...record.actions.map((e) => ({
      ms: e.clockMs,
      cells: [title(e.phase), 'Action item', cell(`${e.text} (owner ${e.owner})`), cell(e.by)],
    })),
  ];
  if (record.ended) rows.push({ ms: record.ended.clockMs, cells: ['', 'Session ended', '', cell(record.ended.by)] });
  doc.heading(2, 'Timeline');
  if (rows.length === 0) {
    doc.block(NO_ITEMS(''));
    return;
  }
  // A stable sort: at one offset, injects come before what the room recorded about them.
  rows.sort((a, b) => a.ms - b.ms);
  doc.block(
    ...table(
      ['At', 'Phase', 'What', 'Text', 'By'],
      rows.map((r) => [`T+${clock(r.ms)}`, ...r.cells]),
    ),
  );
}

function items(doc: MarkdownDocument, record: SessionRecord): void {
  const title = phaseTitles(record.started.plan);
  const section = (heading: string, header: string[], rows: string[][], none = ''): void => {
    doc.heading(2, heading);
    doc.block(
      ...(rows.length === 0
        ? [NO_ITEMS(none)]
        : table(
            ['#', ...header],
            rows.map((r, i) => [String(i + 1), ...r]),
          )),
    );
  };
  const said = (e: { text: string; phase: string | null; clockMs: number; by: string }) => [
    cell(e.text),
    title(e.phase),
    `T+${clock(e.clockMs)}`,
    cell(e.by),
  ];
  section('Decisions', ['Decision', 'Phase', 'At', 'By'], record.decisions.map(said));
  section(
    'Issues encountered (gaps)',
    ['Gap', 'Phase', 'At', 'By'],
    record.gaps.map(said),
    'A session that finds no gap should say why in its notes.',
  );
  section(
    'Action items',
    ['Action', 'Owner', 'Due date', 'Phase'],
    record.actions.map((e) => [cell(e.text), cell(e.owner), cell(e.due ?? '—'), title(e.phase)]),
  );
}

/** The questions the room was asked, per block, for the record. */
function questions(doc: MarkdownDocument, plan: TabletopPlan): void {
  const asked = plan.blocks.filter((b) => b.questions.length > 0);
  if (asked.length === 0 && plan.standing.length === 0) return;
  doc.heading(2, 'Discussion questions asked');
  for (const b of asked)
    doc.block(`**${inline(b.title)}**`, '', ...b.questions.map((q, i) => `${i + 1}. ${inline(q)}`));
  if (plan.standing.length > 0)
    doc.block('**In every phase**', '', ...plan.standing.map((q, i) => `${i + 1}. ${inline(q)}`));
}

function phaseTitles(plan: TabletopPlan): (phase: string | null) => string {
  return (phase) => (phase === null ? '' : cell(plan.blocks.find((b) => b.phase === phase)?.title ?? phase));
}
