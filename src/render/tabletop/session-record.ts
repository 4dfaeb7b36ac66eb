import type { JournalEvent } from '../../journal/events.js';
import type { TabletopBlock, TabletopPlan } from './session-plan.js';

type Of<T extends JournalEvent['type']> = Extract<JournalEvent, { type: T }>;

/** A tabletop session as its journal tells it: the API's view, the room and the post-drill report read this. */
export interface SessionRecord {
  started: Of<'session-started'>;
  injects: Of<'inject-delivered'>[];
  decisions: Of<'decision-recorded'>[];
  gaps: Of<'gap-recorded'>[];
  actions: Of<'action-recorded'>[];
  ended: Of<'session-ended'> | undefined;
}

/** Folds a session's journal; undefined when it has no session-started event (not a session's journal). */
export function sessionRecord(events: JournalEvent[]): SessionRecord | undefined {
  let started: Of<'session-started'> | undefined;
  const record: Omit<SessionRecord, 'started'> = {
    injects: [],
    decisions: [],
    gaps: [],
    actions: [],
    ended: undefined,
  };
  for (const e of events) {
    if (e.type === 'session-started') started = e;
    else if (e.type === 'inject-delivered') record.injects.push(e);
    else if (e.type === 'decision-recorded') record.decisions.push(e);
    else if (e.type === 'gap-recorded') record.gaps.push(e);
    else if (e.type === 'action-recorded') record.actions.push(e);
    else if (e.type === 'session-ended') record.ended = e;
  }
  return started ? { started, ...record } : undefined;
}

/** The agenda block the exercise clock is in (the last one once the clock has passed the session's end). */
export function blockAt(plan: TabletopPlan, clockMs: number): TabletopBlock | undefined {
  return plan.blocks.find((b) => clockMs >= b.startMs && clockMs < b.endMs) ?? plan.blocks[plan.blocks.length - 1];
}
