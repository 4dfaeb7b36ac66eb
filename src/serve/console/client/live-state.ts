import type { JournalEvent } from '../../../journal/events.js';
import type { Plan, PlanStep } from '../../../plan/plan-types.js';
import type { StreamEvent } from './run-stream.js';

export interface PhaseState {
  id: string;
  title: string;
  budgetMs: number;
  steps: string[];
  /** Run clock (ms since the run started) when the phase started and when it finished. */
  startedT: number | null;
  finishedT: number | null;
  /** Set by the journal's overrun or phase-finished event; the view also turns a phase red as its clock passes. */
  overrun: boolean;
}

export interface StepState {
  id: string;
  title: string;
  status: string;
  startedT: number | null;
  durationMs: number | null;
}

type RunStarted = Extract<JournalEvent, { type: 'run-started' }>;
type RunFinished = Extract<JournalEvent, { type: 'run-finished' }>;

/** What the live view shows, folded from the run's journal events as they arrive (the journal is the truth). */
export interface LiveState {
  plan: Plan | null;
  started: RunStarted | null;
  /** The wall clock (browser ms) of the run's t = 0: its run-started event's time less its t. */
  zeroAt: number | null;
  phases: PhaseState[];
  steps: Map<string, StepState>;
  current: string | null;
  rtoOverrun: boolean;
  /** A step waiting for a second person's decision (two-person approval), until it is granted, denied or times out. */
  waiting: Extract<JournalEvent, { type: 'approval-requested' }> | null;
  finished: RunFinished | null;
  events: StreamEvent[];
}

export function emptyState(plan: Plan | null): LiveState {
  return {
    plan,
    started: null,
    zeroAt: null,
    phases: (plan?.phases ?? []).map((p) =>
      phaseOf(
        p.id,
        p.title,
        p.budgetMs,
        p.steps.map((s) => s.id),
      ),
    ),
    steps: new Map(),
    current: null,
    rtoOverrun: false,
    waiting: null,
    finished: null,
    events: [],
  };
}

function phaseOf(id: string, title: string, budgetMs: number, steps: string[]): PhaseState {
  return { id, title, budgetMs, steps, startedT: null, finishedT: null, overrun: false };
}

/** One event applied to the state (in journal order). */
export function apply(state: LiveState, e: StreamEvent): void {
  state.events.push(e);
  const ev = e.data as JournalEvent;
  switch (ev.type) {
    case 'run-started':
      state.started = ev;
      state.zeroAt = Date.parse(ev.at) - ev.t;
      if (state.phases.length === 0) state.phases = ev.phases.map((p) => phaseOf(p.id, p.title, p.budgetMs, p.steps));
      return;
    case 'phase-started':
      withPhase(state, ev.phase, (p) => (p.startedT = ev.t));
      return;
    case 'phase-finished':
      withPhase(state, ev.phase, (p) => {
        p.finishedT = ev.t;
        p.startedT ??= ev.t - ev.durationMs;
        p.overrun ||= ev.overrun;
      });
      return;
    case 'overrun':
      if (ev.scope === 'rto') state.rtoOverrun = true;
      else withPhase(state, ev.id, (p) => (p.overrun = true));
      return;
    case 'step-started':
      state.steps.set(ev.step, { id: ev.step, title: ev.title, status: 'running', startedT: ev.t, durationMs: null });
      state.current = ev.step;
      return;
    case 'step-finished':
      state.steps.set(ev.step, {
        id: ev.step,
        title: ev.title,
        status: ev.result.status,
        startedT: state.steps.get(ev.step)?.startedT ?? null,
        durationMs: ev.result.durationMs,
      });
      if (state.current === ev.step) state.current = null;
      return;
    case 'approval-requested':
      state.waiting = ev;
      return;
    case 'approval-granted':
    case 'approval-denied':
    case 'approval-timed-out':
      state.waiting = null;
      return;
    case 'run-finished':
      state.finished = ev;
      state.current = null;
      state.waiting = null;
      return;
    default:
      return;
  }
}

function withPhase(state: LiveState, id: string, change: (p: PhaseState) => void): void {
  const phase = state.phases.find((p) => p.id === id);
  if (phase) change(phase);
}

/** The run's clock now (ms since t = 0), frozen at the end once the run has finished. */
export function clockNow(state: LiveState, now = Date.now()): number {
  if (state.finished) return state.finished.t;
  return state.zeroAt === null ? 0 : Math.max(0, now - state.zeroAt);
}

/** A phase's elapsed time by the run's clock: running phases keep filling until their finish arrives. */
export function phaseElapsed(p: PhaseState, clock: number): number {
  if (p.startedT === null) return 0;
  return Math.max(0, (p.finishedT ?? clock) - p.startedT);
}

/** Over budget: as the journal says, or the moment the phase's own clock passes its budget. */
export function phaseOver(p: PhaseState, clock: number): boolean {
  return p.overrun || (p.budgetMs > 0 && phaseElapsed(p, clock) > p.budgetMs);
}

export function planStep(state: LiveState, id: string): PlanStep | undefined {
  const plan = state.plan;
  if (!plan) return undefined;
  return [...plan.phases.flatMap((p) => p.steps), ...plan.rollback, ...plan.always, ...plan.cleanup].find(
    (s) => s.id === id,
  );
}
