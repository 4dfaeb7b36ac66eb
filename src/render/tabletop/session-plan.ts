import { durationMs, formatDuration } from '../../model/duration.js';
import type { Incident } from '../../model/runbook.js';
import { DEFAULT_OBJECTIVES } from './tabletop-markdown.js';
import { agenda, injectPhase, newQuestions, STANDARD_QUESTIONS } from './walkthrough.js';

/** One block of the session's agenda, on the exercise clock (ms from the session's start). */
export interface TabletopBlock {
  kind: 'briefing' | 'phase' | 'review';
  title: string;
  /** The incident phase's id (a phase block), else null. */
  phase: string | null;
  startMs: number;
  endMs: number;
  questions: string[];
}

/** Something the facilitator reads out when the exercise clock reaches `atMs`. */
export interface TabletopInject {
  n: number;
  atMs: number;
  phase: string | null;
  text: string;
  /** Made from the phases' budgets (the runbook has no `tabletop.injects`), not written in the runbook. */
  derived: boolean;
}

/** What a session walks, recorded whole in its session-started event: the journal alone rebuilds the report. */
export interface TabletopPlan {
  scenario: string;
  triggers: string[];
  objectives: string[];
  sessionMs: number;
  blocks: TabletopBlock[];
  /** The seeds' standard questions the runbook does not ask itself: asked in every phase. */
  standing: string[];
  injects: TabletopInject[];
}

/**
 * The session of one incident, from the facilitator guide's own pieces (walkthrough.ts): the same agenda,
 * the same questions each asked once, the same injects. A runbook without injects gets them from its
 * budgets, as seed 004 runs a walkthrough: the alert at the start, each phase's start, the RTO running out.
 */
export function tabletopPlan(incident: Incident): TabletopPlan {
  const slots = agenda(incident);
  const asked = new Set<string>();
  const phaseQuestions = incident.phases.map((p) => newQuestions(p.questions ?? [], asked));
  const closing = newQuestions(incident.tabletop?.questions ?? [], asked);
  const standing = newQuestions(STANDARD_QUESTIONS, asked);
  const blocks: TabletopBlock[] = slots.map((s) => ({
    kind: s.kind,
    title: s.title,
    phase: s.phaseIndex === undefined ? null : (incident.phases[s.phaseIndex]?.id ?? null),
    startMs: s.startMs,
    endMs: s.endMs,
    questions: s.kind === 'review' ? closing : s.phaseIndex === undefined ? [] : (phaseQuestions[s.phaseIndex] ?? []),
  }));
  // The closing questions still reach the room when the phases fill the session and leave no review block.
  const last = blocks[blocks.length - 1];
  if (last && last.kind !== 'review') last.questions = [...last.questions, ...closing];
  const tabletop = incident.tabletop ?? {};
  return {
    scenario: (tabletop.scenario ?? incident.description ?? incident.title).trim(),
    triggers: incident.triggers,
    objectives: tabletop.objectives?.length ? tabletop.objectives : DEFAULT_OBJECTIVES,
    sessionMs: slots.length > 0 ? (slots[slots.length - 1]?.endMs ?? 0) : 0,
    blocks,
    standing,
    injects: numbered(tabletop.injects?.length ? runbookInjects(incident, blocks) : derivedInjects(incident, blocks)),
  };
}

type Unnumbered = Omit<TabletopInject, 'n'>;

/** The incident clock starts with its first phase: the briefing before it is not incident time. */
function incidentStartMs(blocks: TabletopBlock[]): number {
  return blocks.find((b) => b.kind === 'phase')?.startMs ?? 0;
}

/**
 * A runbook inject comes at its `at` on the incident clock; one that names a phase comes during that phase
 * (as the guide lists it there): at its `at` when that falls in the phase's block, else when the phase starts.
 */
function runbookInjects(incident: Incident, blocks: TabletopBlock[]): Unnumbered[] {
  const start = incidentStartMs(blocks);
  return (incident.tabletop?.injects ?? []).map((inj) => {
    const phase = incident.phases[injectPhase(incident.phases, inj)]?.id ?? null;
    const block = blocks.find((b) => b.kind === 'phase' && b.phase === phase);
    const at = start + durationMs(inj.at);
    const inPhase = !inj.phase || !block || (at >= block.startMs && at < block.endMs);
    return { atMs: inPhase ? at : (block?.startMs ?? at), phase, text: inj.text, derived: false };
  });
}

function derivedInjects(incident: Incident, blocks: TabletopBlock[]): Unnumbered[] {
  const start = incidentStartMs(blocks);
  const phases = blocks.filter((b) => b.kind === 'phase');
  const out: Unnumbered[] = [
    { atMs: start, phase: phases[0]?.phase ?? null, text: `Alert: ${incident.triggers.join('; ')}.`, derived: true },
    ...phases.map((b) => ({
      atMs: b.startMs,
      phase: b.phase,
      text: `${b.title} starts: ${formatDuration(b.endMs - b.startMs)} on the clock.`,
      derived: true,
    })),
  ];
  const rtoAt = start + durationMs(incident.rto);
  const end = phases[phases.length - 1]?.endMs ?? start;
  if (rtoAt <= end) {
    const phase = phases.find((b) => rtoAt >= b.startMs && rtoAt < b.endMs)?.phase ?? null;
    out.push({
      atMs: rtoAt,
      phase,
      text: `The RTO (${incident.rto}) runs out now: is the service back?`,
      derived: true,
    });
  }
  return out;
}

function numbered(injects: Unnumbered[]): TabletopInject[] {
  return [...injects].sort((a, b) => a.atMs - b.atMs).map((inj, i) => ({ n: i + 1, ...inj }));
}
