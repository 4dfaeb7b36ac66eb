import { join } from 'node:path';
import { JournalError, readJournal } from '../journal/journal.js';
import { EXIT } from '../model/errors.js';
import type { JournalEvent } from '../journal/events.js';
import type { StepResult } from '../model/step-result.js';
import { firedSoFar, type FiredSoFar } from './clock-events.js';

/** What a journal says about a run that stopped: done steps, steps of unknown outcome, captures. */
export interface ResumeState {
  runId: string;
  dir: string;
  incidentId: string;
  environment: string;
  sha256: string;
  startedAtMs: number;
  completed: Map<string, StepResult>;
  unknown: Set<string>;
  captured: Map<string, string>;
  finishedOutcome: string | null;
  /** The mode it last ran in (run-started, or the latest run-resumed). */
  mode: string;
  /** Whether any step was executed for real (a simulation never writes step-started). */
  executed: boolean;
  /** When it last wrote anything: how long ago it stopped. */
  lastEventAtMs: number;
  /** Time spent in each phase so far. */
  phaseMs: Map<string, number>;
  /** Escalation levels fired and status updates due so far: none fires twice. */
  fired: FiredSoFar;
}

type Folded = Pick<
  ResumeState,
  'completed' | 'unknown' | 'captured' | 'phaseMs' | 'finishedOutcome' | 'mode' | 'executed'
>;

export function loadResumeState(dir: string): ResumeState {
  const events = readJournal(join(dir, 'journal.jsonl'));
  const started = runStarted(dir, events);
  const folded: Folded = {
    completed: new Map(),
    unknown: new Set(),
    captured: new Map(),
    phaseMs: new Map(),
    finishedOutcome: null,
    mode: started.mode,
    executed: false,
  };
  for (const e of events) foldEvent(folded, e);
  return {
    runId: started.runId,
    dir,
    incidentId: started.incident.id,
    environment: started.environment,
    sha256: started.runbook.sha256,
    startedAtMs: Date.parse(started.at),
    completed: folded.completed,
    unknown: folded.unknown,
    captured: folded.captured,
    finishedOutcome: folded.finishedOutcome,
    mode: folded.mode,
    executed: folded.executed,
    lastEventAtMs: Date.parse(events.at(-1)?.at ?? started.at),
    phaseMs: folded.phaseMs,
    fired: firedSoFar(events),
  };
}

function runStarted(dir: string, events: JournalEvent[]): Extract<JournalEvent, { type: 'run-started' }> {
  const started = events.find((e) => e.type === 'run-started');
  if (started?.type !== 'run-started') {
    throw new JournalError(
      `${dir}: the journal has no run-started event (the run stopped before its first event was written); there is nothing to resume, start a new run`,
      { exitCode: EXIT.usage },
    );
  }
  return started;
}

function foldEvent(folded: Folded, e: JournalEvent): void {
  const { completed, unknown, captured, phaseMs } = folded;
  if (e.type === 'step-started') {
    unknown.add(e.step);
    folded.executed = true;
  }
  if (e.type === 'step-finished') {
    if (e.result.status === 'unknown') {
      unknown.add(e.step);
      completed.delete(e.step);
    } else {
      unknown.delete(e.step);
      completed.set(e.step, e.result);
    }
  }
  if (e.type === 'captured') captured.set(e.name, e.value);
  if (e.type === 'phase-finished') phaseMs.set(e.phase, (phaseMs.get(e.phase) ?? 0) + e.durationMs);
  if (e.type === 'run-finished') folded.finishedOutcome = e.outcome;
  if (e.type === 'run-resumed') {
    folded.finishedOutcome = null;
    folded.mode = e.mode;
  }
}

/** A run can be resumed when it did not reach a verdict: interrupted, or killed mid-run. */
export function isResumable(state: ResumeState): boolean {
  return (
    state.finishedOutcome === null || state.finishedOutcome === 'interrupted' || state.finishedOutcome === 'aborted'
  );
}
