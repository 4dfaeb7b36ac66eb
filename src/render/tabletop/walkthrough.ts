import { durationMs } from '../../model/duration.js';
import type { Incident, Phase } from '../../model/runbook.js';

/** The four blocks of the seeds' scenario walkthrough, with their share of the walkthrough time (15/30/30/15). */
export const STAGES = [
  { id: 'detection', title: 'Detection', weight: 1, questions: ['Who receives the alert?', 'What is the escalation path?', 'How do we assess severity?'] },
  { id: 'assessment', title: 'Assessment', weight: 2, questions: ['What data do we need?', 'How do we access systems?', 'What is the impact assessment?'] },
  { id: 'recovery', title: 'Recovery', weight: 2, questions: ['What is the recovery procedure?', 'Who performs each step?', 'What are the dependencies?', 'What are the verification steps?'] },
  { id: 'communication', title: 'Communication', weight: 1, questions: ['Who needs to be notified?', 'What is the communication template?', 'When do we notify customers?'] },
] as const;
export type StageId = (typeof STAGES)[number]['id'];

/** The session when the runbook gives no length: the seeds' 2-4 hour tabletop, at its short end plus briefing. */
export const DEFAULT_SESSION_MS = 150 * 60_000;
const BRIEFING_SHARE = 0.1;
const WALKTHROUGH_SHARE = 0.6;

export interface AgendaSlot { id: string; title: string; startMin: number; endMin: number }

/**
 * The session's agenda: briefing, the four walkthrough blocks, then review. Boundaries are rounded to whole
 * minutes from the cumulative shares, so the slots always add up to the session exactly.
 */
export function agenda(sessionMs: number): AgendaSlot[] {
  const total = sessionMs / 60_000;
  const weights = STAGES.reduce((n, s) => n + s.weight, 0);
  const blocks = [
    { id: 'briefing', title: 'Briefing', share: BRIEFING_SHARE },
    ...STAGES.map((s) => ({ id: s.id, title: s.title, share: (WALKTHROUGH_SHARE * s.weight) / weights })),
    { id: 'review', title: 'Review and improve', share: 1 - BRIEFING_SHARE - WALKTHROUGH_SHARE },
  ];
  let cumulative = 0;
  return blocks.map((b) => {
    const startMin = Math.round(cumulative * total);
    cumulative += b.share;
    return { id: b.id, title: b.title, startMin, endMin: Math.round(Math.min(1, cumulative) * total) };
  });
}

export function sessionMs(incident: Incident): number {
  return incident.tabletop?.duration ? durationMs(incident.tabletop.duration) : DEFAULT_SESSION_MS;
}

/**
 * Which incident phases each walkthrough block discusses. Detection is the first phase; recovery starts at
 * the first later phase that changes the system (a step needing approval); the phases between are the
 * assessment; closing phases that mostly send status updates are communication, which also covers the
 * templates of the whole incident.
 */
export function phasesByStage(phases: Phase[]): Record<StageId, number[]> {
  const indexes = phases.map((_, i) => i);
  if (phases.length <= 1) return { detection: indexes, assessment: [], recovery: [], communication: [] };
  const changes = phases.findIndex((p, i) => i > 0 && p.steps.some((s) => s.confirm === true));
  const recoveryStart = changes > 0 ? changes : Math.max(1, phases.length - 1);
  // Closing phases that mostly post status updates are the communication block (keeping one recovery phase).
  let communicationStart = phases.length;
  while (communicationStart - 1 > recoveryStart && mostlyNotify(phases[communicationStart - 1])) communicationStart -= 1;
  return {
    detection: [0],
    assessment: indexes.slice(1, recoveryStart),
    recovery: indexes.slice(recoveryStart, communicationStart),
    communication: indexes.slice(communicationStart),
  };
}

function mostlyNotify(phase: Phase | undefined): boolean {
  if (!phase || phase.steps.length === 0) return false;
  return phase.steps.filter((s) => s.notify !== undefined).length * 2 >= phase.steps.length;
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

export function clock(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}
