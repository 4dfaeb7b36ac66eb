import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { isResumable, loadResumeState, type ResumeState } from '../../execute/resume.js';
import { listRunIds, runsDir } from '../../journal/run-store.js';
import { UsageError } from '../../model/errors.js';
import type { Plan } from '../../plan/plan-types.js';

/** The stopped run to continue (--resume RUN-ID), refused if the runbook changed since it began. */
export function resumeStateFor(runId: string): ResumeState {
  const dir = join(runsDir(), runId);
  if (!existsSync(join(dir, 'journal.jsonl'))) throw new UsageError(`no run "${runId}" under ${runsDir()}`);
  const state = loadResumeState(dir);
  if (!isResumable(state)) throw new UsageError(`run ${runId} already finished (${state.finishedOutcome ?? ''}); start a new run instead`);
  return state;
}

export function checkSameRunbook(state: ResumeState, plan: Plan): void {
  if (state.sha256 !== plan.runbook.sha256) {
    throw new UsageError(`the runbook changed since run ${state.runId} began (sha256 ${state.sha256.slice(0, 12)} then, ${plan.runbook.sha256.slice(0, 12)} now); resuming is refused: start a new run`);
  }
}

/** The newest run of this incident that stopped without a verdict, if any. */
export function latestUnfinished(incidentId: string): ResumeState | undefined {
  const ids = listRunIds().filter((id) => id.includes(`-${incidentId}-`)).reverse();
  for (const id of ids.slice(0, 20)) {
    try {
      const state = loadResumeState(join(runsDir(), id));
      if (isResumable(state)) return state;
    } catch {
      // an unreadable journal is not a run to resume
    }
  }
  return undefined;
}

export function checkFromStep(plan: Plan, from: string | undefined): void {
  if (from !== undefined && !plan.phases.some((p) => p.steps.some((s) => s.id === from))) {
    throw new UsageError(`--from: ${plan.incident.id} has no phase step "${from}"`);
  }
}
