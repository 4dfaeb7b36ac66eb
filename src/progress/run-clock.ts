import { formatDuration } from '../model/duration.js';

/** What the live header knows: the run's start, its RTO, where the walk is. */
export interface ClockState {
  startedAtMs: number;
  rtoMs: number;
  phaseIndex: number;
  phaseCount: number;
  simulate: boolean;
  /** Simulate: the projected clock so far. */
  projectedMs: number;
}

/** `T+3m10s · RTO 20m · 16m50s left · phase 3/6`, or `… · RTO passed 1m10s ago` (flagged over). */
export function clockLine(state: ClockState, now = Date.now()): { text: string; over: boolean } {
  const elapsed = state.simulate ? state.projectedMs : now - state.startedAtMs;
  const left = state.rtoMs - elapsed;
  const phase =
    state.phaseIndex > 0 && state.phaseIndex <= state.phaseCount
      ? ` · phase ${state.phaseIndex}/${state.phaseCount}`
      : '';
  const budget = left >= 0 ? `${formatDuration(left)} left` : `OVER by ${formatDuration(-left)}`;
  return {
    text: `${state.simulate ? 'projected ' : ''}T+${formatDuration(elapsed)} · RTO ${formatDuration(state.rtoMs)} · ${budget}${phase}`,
    over: left < 0,
  };
}

/** How an overrun reads: `RTO 1m passed at T+1m04s`, `phase "Detect" budget 2m passed at T+2m01s`. */
export function overrunText(scope: 'phase' | 'rto', name: string, budgetMs: number, atMs: number): string {
  return `${scope === 'rto' ? 'RTO' : `phase "${name}" budget`} ${formatDuration(budgetMs)} passed at T+${formatDuration(atMs)} — OVER`;
}
