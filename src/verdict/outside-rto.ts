import type { JournalEvent } from '../journal/events.js';

/** Time spent in the given phases (those outside the RTO clock), a phase resumed after an interruption counted whole. */
export function phaseTimeMs(events: JournalEvent[], phaseIds: string[]): number {
  const ids = new Set(phaseIds);
  return events.reduce((n, e) => (e.type === 'phase-finished' && ids.has(e.phase) ? n + e.durationMs : n), 0);
}
