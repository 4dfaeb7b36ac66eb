import type { Plan, PlanStep } from '../plan/plan-types.js';
import { EXIT } from '../model/errors.js';
import { formatDuration } from '../model/duration.js';
import type { Journal } from '../journal/journal.js';
import type { RunOutcome } from '../journal/events.js';
import { describeCheck, runCheck } from './checks/registry.js';
import { executeStep, type StepOutcome, type StepRunContext } from './execute-step.js';
import { OperatorGone, type FailureChoice, type ModePolicy } from './mode-policy.js';
import type { ResumeState } from './resume.js';
import type { StepResult, StepStatus } from './step-result.js';
import { RunVariables } from './variables.js';
import { rollbackRunOrder } from '../plan/rollback-order.js';
import { decide, type Ending } from '../verdict/decide.js';
import { phaseTimeMs } from '../verdict/outside-rto.js';
import { readJournal } from '../journal/journal.js';

export interface RunOptions {
  plan: Plan;
  policy: ModePolicy;
  journal: Journal;
  runId: string;
  operator: string;
  signal: AbortSignal;
  variables: RunVariables;
  /** Continue a stopped run (its journal state), or start at a step (--from). */
  resume?: ResumeState;
  fromStep?: string;
}

export interface RunSummary {
  outcome: RunOutcome;
  exitCode: number;
}

type Stop = { kind: 'abort' | 'rollback' | 'interrupted'; reason: string; stepFailed?: boolean };

/** The walk: phases and steps in order under a mode policy, then rollback/always, then the verdict. */
export async function runIncident(options: RunOptions): Promise<RunSummary> {
  const { plan, policy, journal, signal, variables: vars } = options;
  const statuses = new Map<string, StepStatus>();
  // A resumed run keeps the incident's clock: time since the run first started.
  const t0 = options.resume?.startedAtMs ?? Date.now();
  let projectedMs = 0;
  const elapsed = () => (policy.executes ? Date.now() - t0 : projectedMs);
  const carried = {
    completed: options.resume?.completed ?? new Map<string, StepResult>(),
    unknown: new Set(options.resume?.unknown ?? []),
    skip: options.fromStep ? stepsBefore(plan, options.fromStep) : new Set<string>(),
  };
  for (const [name, value] of options.resume?.captured ?? []) vars.captured.set(name, value);
  // The phase a step belongs to, for the clock's eta: what the budgets of this and later phases add up to.
  let clockPhase = 0;
  vars.setClock((name) => {
    switch (name) {
      case 'elapsed':
        return formatDuration(elapsed());
      case 'remaining':
        return formatDuration(Math.max(0, plan.incident.rtoMs - elapsed()));
      case 'eta':
        return formatDuration(plan.phases.slice(clockPhase).reduce((n, p) => n + p.budgetMs, 0));
      default:
        return undefined;
    }
  });
  const ctx: StepRunContext = {
    policy, journal, vars, signal, statuses, elapsed, carried,
    executor: {
      vars, signal,
      notify: (step, text) => {
        journal.append({ type: 'notification', step: step.id, text, ...(step.notify?.channel ? { channel: step.notify.channel } : {}) });
        policy.announce(step, text);
        return Promise.resolve();
      },
    },
  };
  if (options.resume) journal.append({ type: 'run-resumed', operator: options.operator, mode: policy.mode, ...(options.fromStep ? { from: options.fromStep } : {}) }, { durable: true });
  else journal.append({
    type: 'run-started', runId: options.runId, mode: policy.mode, operator: options.operator, environment: plan.environment,
    incident: { id: plan.incident.id, title: plan.incident.title, severity: plan.incident.severity, rtoMs: plan.incident.rtoMs, rpoMs: plan.incident.rpoMs },
    runbook: { file: plan.runbook.file, name: plan.runbook.name, version: plan.runbook.version, sha256: plan.runbook.sha256 },
    variables: plan.variables,
    phases: plan.phases.map((p) => ({ id: p.id, title: p.title, budgetMs: p.budgetMs, steps: p.steps.map((s) => s.id) })),
  }, { durable: true });
  const rtoTimer = policy.executes ? setTimeout(() => { journal.append({ type: 'overrun', scope: 'rto', id: plan.incident.id, budgetMs: plan.incident.rtoMs }); }, plan.incident.rtoMs) : undefined;
  rtoTimer?.unref();

  let stop: Stop | undefined;
  const runSteps = async (steps: PlanStep[], phaseIndex: number, phaseStart: number, budgetMs: number | null, title: string | null): Promise<Stop | undefined> => {
    for (const step of steps) {
      if (signal.aborted) return { kind: 'interrupted', reason: 'interrupted by signal' };
      clockPhase = phaseIndex;
      let retrying = false;
      for (;;) {
        const view = { phaseTitle: title, elapsedMs: elapsed(), phaseElapsedMs: elapsed() - phaseStart, phaseBudgetMs: budgetMs, rtoMs: plan.incident.rtoMs };
        const outcome: StepOutcome | undefined = await executeStep(step, ctx, view, retrying).catch(operatorGone);
        if (!outcome) return { kind: 'interrupted', reason: `the operator left at step "${step.id}"` };
        projectedMs += outcome.result.projectedMs ?? 0;
        if (outcome.abortReason) return { kind: 'abort', reason: outcome.abortReason };
        if (outcome.result.status === 'unknown' && signal.aborted) return { kind: 'interrupted', reason: 'interrupted during a step' };
        // A step replayed from before a resume had its failure handled then.
        if (outcome.replayed || !['failed', 'timed-out', 'unknown'].includes(outcome.result.status)) break;
        const choice: FailureChoice | undefined = await policy.afterFailure(step, outcome.result).catch(operatorGone);
        if (!choice) return { kind: 'interrupted', reason: `the operator left after step "${step.id}" failed` };
        if (choice === 'retry') {
          retrying = true;
          journal.append({ type: 'decision', step: step.id, choice: 'retry', by: policy.actor });
          continue;
        }
        const action = choice === 'default' ? step.onFailure : choice;
        if (choice !== 'default') journal.append({ type: 'decision', step: step.id, choice: action, by: policy.actor });
        if (action === 'continue') break;
        return { kind: action, reason: `step "${step.id}" ${outcome.result.status}: ${outcome.result.error ?? ''}`.trim(), stepFailed: true };
      }
    }
    return undefined;
  };

  for (const [index, phase] of plan.phases.entries()) {
    if (phase.steps.every((s) => carried.completed.has(s.id))) {
      for (const s of phase.steps) statuses.set(s.id, carried.completed.get(s.id)?.status ?? 'passed');
      continue;
    }
    journal.append({ type: 'phase-started', phase: phase.id });
    const phaseStart = elapsed();
    const overrunTimer = policy.executes ? setTimeout(() => { journal.append({ type: 'overrun', scope: 'phase', id: phase.id, budgetMs: phase.budgetMs }); }, phase.budgetMs) : undefined;
    overrunTimer?.unref();
    try {
      stop = await runSteps(phase.steps, index, phaseStart, phase.budgetMs, phase.title);
    } finally {
      clearTimeout(overrunTimer);
    }
    const durationMs = elapsed() - phaseStart;
    if (!policy.executes && durationMs > phase.budgetMs) journal.append({ type: 'overrun', scope: 'phase', id: phase.id, budgetMs: phase.budgetMs });
    journal.append({ type: 'phase-finished', phase: phase.id, durationMs, budgetMs: phase.budgetMs, overrun: durationMs > phase.budgetMs });
    if (stop) break;
  }

  let recoveredMs: number | null = null;
  if (!stop) recoveredMs = await recovered(plan, policy, vars, signal, journal, elapsed);
  const end = elapsed();
  if (stop?.kind === 'rollback') {
    journal.append({ type: 'section-started', section: 'rollback', reason: stop.reason });
    await runSteps(rollbackRunOrder(plan.rollback), plan.phases.length, end, null, 'Rollback');
  }
  // Cleanup (rebuild the old primary, re-attach replicas) follows a recovery; it does not count toward the RTO.
  if (!stop && recoveredMs !== null && plan.cleanup.length > 0) {
    journal.append({ type: 'section-started', section: 'cleanup', reason: 'post-recovery cleanup' });
    const cleanupStop = await runSteps(plan.cleanup, plan.phases.length, end, null, 'Cleanup');
    if (cleanupStop?.kind === 'interrupted') stop = cleanupStop;
  }
  if (stop?.kind !== 'interrupted' && plan.always.length > 0) {
    journal.append({ type: 'section-started', section: 'always', reason: 'always steps run whatever happened' });
    await runSteps(plan.always, plan.phases.length, end, null, 'Always');
  }
  clearTimeout(rtoTimer);
  return finish(plan, policy, journal, vars, stop, recoveredMs, end);
}

async function recovered(plan: Plan, policy: ModePolicy, vars: RunVariables, signal: AbortSignal, journal: Journal, elapsed: () => number): Promise<number | null> {
  if (!policy.executes) {
    const checks = await Promise.all(plan.recovered.map(async (spec) => ({ description: `would test: ${await describeCheck(spec)}`, ok: true })));
    journal.append({ type: 'recovery-check', ok: true, checks });
    return elapsed();
  }
  const results = await Promise.all(plan.recovered.map((spec) => runCheck(vars.prepareCheck(spec), signal)));
  const ok = results.every((r) => r.ok);
  journal.append({ type: 'recovery-check', ok, checks: results.map((r) => ({ description: r.description, ok: r.ok, ...(r.error ? { error: r.error } : {}) })) }, { durable: true });
  return ok ? elapsed() : null;
}

function finish(plan: Plan, policy: ModePolicy, journal: Journal, vars: RunVariables, stop: Stop | undefined, recoveredMs: number | null, end: number): RunSummary {
  const measure = plan.incident.rpoMeasure ? vars.captured.get(plan.incident.rpoMeasure) : undefined;
  const rpoMeasuredMs = measure !== undefined && Number.isFinite(Number(measure)) ? Math.round(Number(measure) * 1000) : null;
  // Phases outside the RTO clock ran inside the walk; their time is taken out of the time to recover.
  const outside = plan.phases.filter((p) => p.outsideRto).map((p) => p.id);
  const outsideMs = outside.length > 0 ? phaseTimeMs(readJournal(journal.path), outside) : 0;
  const recoveredAtMs = recoveredMs === null ? null : recoveredMs - outsideMs;
  const ending: Ending = stop?.kind === 'interrupted' ? 'interrupted' : stop?.kind === 'rollback' ? 'rolled-back' : stop?.kind === 'abort' ? (stop.stepFailed ? 'step-failed' : 'aborted') : recoveredMs === null ? 'not-recovered' : 'recovered';
  // The verdict (src/verdict) is the only judge of outcome, "met" and exit code; the walk gives it facts.
  const v = decide({ simulated: !policy.executes, ending, recoveredAtMs, rtoTargetMs: plan.incident.rtoMs, rpoTargetMs: plan.incident.rpoMs, rpoMeasuredMs });
  const outcome = v.outcome === 'unfinished' ? 'interrupted' : v.outcome;
  const exitCode = v.exitCode ?? EXIT.interrupted;
  journal.append({
    type: 'run-finished', outcome, exitCode,
    ...(stop ? { reason: stop.reason } : recoveredMs === null ? { reason: 'the recovered condition does not hold' } : {}),
    rto: { targetMs: plan.incident.rtoMs, measuredMs: policy.executes ? recoveredAtMs : null, projectedMs: policy.executes ? null : recoveredAtMs ?? end - outsideMs, met: v.rtoMet, ...(outside.length > 0 ? { outsideMs, outsidePhases: outside } : {}) },
    rpo: { targetMs: plan.incident.rpoMs, measuredMs: rpoMeasuredMs, met: v.rpoMet },
  }, { durable: true });
  return { outcome, exitCode };
}

/** --from STEP: every phase step before it in walk order is recorded as skipped by the operator. */
function stepsBefore(plan: Plan, stepId: string): Set<string> {
  const order = plan.phases.flatMap((p) => p.steps.map((s) => s.id));
  const index = order.indexOf(stepId);
  return new Set(index < 0 ? [] : order.slice(0, index));
}

/** Turns "the person is gone" into undefined (the run stops as interrupted); other errors go on. */
function operatorGone(error: unknown): undefined {
  if (error instanceof OperatorGone) return undefined;
  throw error;
}
