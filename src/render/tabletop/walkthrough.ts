import { durationMs, formatDuration } from '../../model/duration.js';
import type { Incident, Phase } from '../../model/runbook.js';
import { phaseLabel } from '../markdown/text.js';

/** The session when the runbook gives no length: the seeds' 2-4 hour tabletop, at its short end plus briefing. */
export const DEFAULT_SESSION_MS = 150 * 60_000;
/** The briefing takes at most this share of the session, and never more than half of the time the phases leave. */
const BRIEFING_SHARE = 0.1;

/**
 * The seeds' standard discussion questions. They are asked once, after the runbook's own questions, and
 * only those the runbook does not already ask.
 */
export const STANDARD_QUESTIONS = [
  'Who receives the alert?',
  'What is the escalation path?',
  'How do we assess severity?',
  'What data do we need?',
  'How do we access systems?',
  'What is the impact assessment?',
  'What is the recovery procedure?',
  'Who performs each step?',
  'What are the dependencies?',
  'What are the verification steps?',
  'Who needs to be notified?',
  'What is the communication template?',
  'When do we notify customers?',
];

export interface AgendaSlot {
  /** `briefing`, `review`, or the phase's index in the incident. */
  kind: 'briefing' | 'phase' | 'review';
  phaseIndex?: number;
  title: string;
  startMs: number;
  endMs: number;
  /** The length as the agenda prints it: a phase's budget exactly as the runbook writes it. */
  length: string;
}

/**
 * The session's agenda: each phase of the incident for exactly its own budget, so the table walks the
 * incident on its own clock. The session time the phases leave is split into a briefing before them and
 * the review after them; when the phases fill the session (a drill whose phases are the session), there
 * is neither.
 */
export function agenda(incident: Incident): AgendaSlot[] {
  const session = sessionMs(incident);
  const budgets = incident.phases.map((p) => durationMs(p.budget));
  const spare = session - budgets.reduce((n, b) => n + b, 0);
  const briefing = spare > 0 ? wholeMinutes(Math.min(session * BRIEFING_SHARE, spare / 2)) : 0;
  const slots: AgendaSlot[] = [];
  let at = 0;
  const add = (slot: Omit<AgendaSlot, 'startMs' | 'endMs'>, ms: number): void => {
    slots.push({ ...slot, startMs: at, endMs: at + ms });
    at += ms;
  };
  if (briefing > 0) add({ kind: 'briefing', title: 'Briefing', length: formatDuration(briefing) }, briefing);
  incident.phases.forEach((phase, i) => {
    add({ kind: 'phase', phaseIndex: i, title: phaseLabel(i, phase.title), length: phase.budget }, budgets[i] ?? 0);
  });
  if (spare - briefing > 0)
    add({ kind: 'review', title: 'Review and improve', length: formatDuration(spare - briefing) }, spare - briefing);
  return slots;
}

function wholeMinutes(ms: number): number {
  return Math.floor(ms / 60_000) * 60_000;
}

export function sessionMs(incident: Incident): number {
  return incident.tabletop?.duration ? durationMs(incident.tabletop.duration) : DEFAULT_SESSION_MS;
}

/** The phase an inject belongs to: the one it names, else the phase whose budget window holds its time. */
export function injectPhase(phases: Phase[], inject: { at: string; phase?: string }): number {
  if (inject.phase) {
    const named = phases.findIndex((p) => p.id === inject.phase);
    if (named >= 0) return named;
  }
  const at = durationMs(inject.at);
  let end = 0;
  for (const [i, phase] of phases.entries()) {
    end += durationMs(phase.budget);
    if (at < end) return i;
  }
  return phases.length - 1;
}

/** A session offset as `h:mm`, or `h:mm:ss` when it is not on a whole minute. */
export function clock(ms: number): string {
  const total = Math.round(ms / 1000);
  const hm = `${Math.floor(total / 3600)}:${String(Math.floor((total % 3600) / 60)).padStart(2, '0')}`;
  return total % 60 === 0 ? hm : `${hm}:${String(total % 60).padStart(2, '0')}`;
}

/**
 * The questions not asked yet, so each appears once in the guide; `asked` is updated. A question counts
 * as asked when every sentence of it was already asked, in the same or in longer words: "Who receives the
 * alert?" was asked by "Who receives the alert, and how do we assess severity?".
 */
export function newQuestions(texts: readonly string[], asked: Set<string>): string[] {
  const out: string[] = [];
  for (const text of texts) {
    const keys = text
      .split(/(?<=\?)\s+(?=\S)/)
      .map(questionKey)
      .filter((k) => k !== '');
    if (keys.length === 0 || keys.every((key) => [...asked].some((k) => k.includes(key)))) continue;
    for (const key of keys) asked.add(key);
    out.push(text.trim());
  }
  return out;
}

function questionKey(question: string): string {
  return question
    .trim()
    .toLowerCase()
    .replace(/[\s?.!]+$/, '')
    .replace(/\s+/g, ' ');
}
