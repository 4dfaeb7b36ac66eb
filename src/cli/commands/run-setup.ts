import { join } from 'node:path';
import { isResumable, loadResumeState, type ResumeState } from '../../execute/resume.js';
import type { Mode } from '../../execute/mode-policy.js';
import { listRunIds, runsDir } from '../../journal/run-store.js';
import { formatDuration } from '../../model/duration.js';
import { UsageError } from '../../model/errors.js';
import type { Plan } from '../../plan/plan-types.js';
import { resolveRunId } from '../../report/load-run.js';

/** A stopped run older than this is offered with "start fresh" as the default. */
const STALE_MS = 4 * 60 * 60 * 1000;

/** The stopped run to continue: an id, a unique prefix of one or `latest`, from the run store only (never a path). */
export function resumeStateFor(requested: string): ResumeState {
  const runId = resolveRunId(requested);
  const state = loadResumeState(join(runsDir(), runId));
  if (!isResumable(state))
    throw new UsageError(`run ${runId} already finished (${state.finishedOutcome ?? ''}); start a new run instead`);
  return state;
}

export function checkSameRunbook(state: ResumeState, plan: Plan): void {
  if (state.sha256 !== plan.runbook.sha256) {
    throw new UsageError(
      `the runbook changed since run ${state.runId} began (sha256 ${state.sha256.slice(0, 12)} then, ${plan.runbook.sha256.slice(0, 12)} now); resuming is refused: start a new run`,
    );
  }
}

/**
 * The mode a run goes on in: the one given, else the one it was running in. A simulation never
 * finishes a run that executed real steps, and a real run never continues a simulation.
 */
export function modeFor(requested: Mode | undefined, resume: ResumeState | undefined): Mode {
  const mode = requested ?? (resume?.mode as Mode | undefined) ?? 'simulate';
  if (resume && mode === 'simulate' && (resume.mode !== 'simulate' || resume.executed)) {
    throw new UsageError(
      `run ${resume.runId} executed real steps (mode ${resume.mode}); a simulation cannot finish it: resume it with --mode auto or --mode interactive, or leave --mode out`,
    );
  }
  if (resume && mode !== 'simulate' && resume.mode === 'simulate') {
    throw new UsageError(
      `run ${resume.runId} is a simulation; a real run cannot continue it: start a new run with --mode ${mode}`,
    );
  }
  return mode;
}

/** A stopped run of this incident to offer, with what the responder needs to choose: its age, and whether a later run finished. */
export interface ResumeOffer {
  state: ResumeState;
  ageMs: number;
  /** A later run of the same incident reached a verdict. */
  superseded: boolean;
  /** Resume only when it is recent and nothing finished since. */
  resumeByDefault: boolean;
  question: string;
}

/** The newest run of this incident that stopped without a verdict, if any, as an offer to resume it. */
export function resumeOffer(plan: Plan, now = Date.now()): ResumeOffer | undefined {
  const ids = listRunIds()
    .filter((id) => id.includes(`-${plan.incident.id}-`))
    .reverse();
  let superseded = false;
  for (const id of ids.slice(0, 20)) {
    let state: ResumeState;
    try {
      state = loadResumeState(join(runsDir(), id));
    } catch {
      continue; // an unreadable journal is not a run to resume
    }
    if (!isResumable(state)) {
      superseded = true;
      continue;
    }
    if (state.sha256 !== plan.runbook.sha256 || state.mode === 'simulate') return undefined;
    const ageMs = Math.max(0, now - state.lastEventAtMs);
    const done = state.completed.size;
    const question = `Run ${state.runId} of ${plan.incident.id} stopped ${formatDuration(ageMs)} ago with ${done} step${done === 1 ? '' : 's'} done${state.unknown.size > 0 ? ` and ${state.unknown.size} of unknown outcome` : ''}${superseded ? '; a later run of this incident has finished since' : ''}.`;
    return { state, ageMs, superseded, resumeByDefault: !superseded && ageMs < STALE_MS, question };
  }
  return undefined;
}

export function checkFromStep(plan: Plan, from: string | undefined): void {
  if (from !== undefined && !plan.phases.some((p) => p.steps.some((s) => s.id === from))) {
    throw new UsageError(`--from: ${plan.incident.id} has no phase step "${from}"`);
  }
}
