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

export function loadResumeState(dir: string): ResumeState {
  const events = readJournal(join(dir, 'journal.jsonl'));
  const started = events.find((e) => e.type === 'run-started');
  if (started?.type !== 'run-started') {
    throw new JournalError(
      `${dir}: the journal has no run-started event (the run stopped before its first event was written); there is nothing to resume, start a new run`,
      { exitCode: EXIT.usage },
    );
  }
  const completed = new Map<string, StepResult>();
  const unknown = new Set<string>();
  const captured = new Map<string, string>();
  const phaseMs = new Map<string, number>();
  let finishedOutcome: string | null = null;
  let mode = started.mode;
  let executed = false;
  for (const e of events) apply(e);
  function apply(e: JournalEvent): void {
    if (e.type === 'step-started') {
      unknown.add(e.step);
      executed = true;
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
    if (e.type === 'run-finished') finishedOutcome = e.outcome;
    if (e.type === 'run-resumed') {
      finishedOutcome = null;
      mode = e.mode;
    }
  }
  return {
    runId: started.runId,
    dir,
    incidentId: started.incident.id,
    environment: started.environment,
    sha256: started.runbook.sha256,
    startedAtMs: Date.parse(started.at),
    completed,
    unknown,
    captured,
    finishedOutcome,
    mode,
    executed,
    lastEventAtMs: Date.parse(events.at(-1)?.at ?? started.at),
    phaseMs,
    fired: firedSoFar(events),
  };
}

/** A run can be resumed when it did not reach a verdict: interrupted, or killed mid-run. */
export function isResumable(state: ResumeState): boolean {
  return (
    state.finishedOutcome === null || state.finishedOutcome === 'interrupted' || state.finishedOutcome === 'aborted'
  );
}
