import type { PlanStep } from '../plan/plan-types.js';
import { JournalError } from '../journal/journal.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { captureValues } from './capture.js';
import { describeCheck } from './checks/describe.js';
import type { Attempt, ExecutorContext } from './executors/executor.js';
import { EXECUTORS } from './executors/index.js';
import type { Decision, ModePolicy, StepView } from './mode-policy.js';
import { sleep } from './sleep.js';
import type { StepResult, StepStatus } from '../model/step-result.js';
import type { RunVariables } from './variables.js';
import { whenHolds } from './when.js';
import { messageOf } from '../model/error-message.js';
import { approvalNeed } from '../model/approval-need.js';
import type { ApprovalGate } from './approvals/approval-gate.js';

export interface StepRunContext {
  policy: ModePolicy;
  journal: JournalWriter;
  vars: RunVariables;
  signal: AbortSignal;
  statuses: Map<string, StepStatus>;
  executor: ExecutorContext;
  /** Milliseconds since the run started: real time, or projected time in simulate mode. */
  elapsed(): number;
  /** Resume and --from: steps already done, steps of unknown outcome, steps the operator skipped. */
  carried?: CarriedState;
  /** Asks a second person before a step with `approval` runs; absent in a simulation. */
  approvals?: ApprovalGate;
}

export interface CarriedState {
  completed: Map<string, StepResult>;
  unknown: Set<string>;
  skip: Set<string>;
  /** Time each phase took before a resume. */
  phaseMs?: ReadonlyMap<string, number>;
}

export interface StepOutcome {
  result: StepResult;
  /** Set when the policy stopped the run at this step (manual step without --yes, operator abort). */
  abortReason?: string;
  /** The result comes from the journal of a resumed run; the step did not run now. */
  replayed?: boolean;
}

/** One step, start to finish: condition, policy decision, attempts with retries, capture, journal. */
export async function executeStep(
  step: PlanStep,
  ctx: StepRunContext,
  view: StepView,
  retry = false,
): Promise<StepOutcome> {
  const startedAt = new Date().toISOString();
  const finish = (result: StepResult): StepOutcome => {
    ctx.statuses.set(step.id, result.status);
    ctx.journal.append({
      type: 'step-finished',
      step: step.id,
      title: step.title,
      kind: step.kind,
      section: step.section,
      phase: step.phase,
      result,
    });
    return { result };
  };
  const done = ctx.carried?.completed.get(step.id);
  if (done) {
    // Already in the journal from before the resume: counted, never run again.
    ctx.statuses.set(step.id, done.status);
    return { result: done, replayed: true };
  }
  if (ctx.carried?.skip.has(step.id))
    return finish({ status: 'skipped', startedAt, durationMs: 0, note: 'skipped by operator (--from)' });
  if (ctx.carried?.unknown.has(step.id)) {
    ctx.carried.unknown.delete(step.id);
    return decide(step, ctx, startedAt, finish, await ctx.policy.resolveUnknown(step, view));
  }
  if (step.when) {
    const holds = whenHolds(step.when, ctx.vars, ctx.statuses);
    if (holds === false)
      return finish({ status: 'skipped', startedAt, durationMs: 0, note: 'condition (when) does not hold' });
    if (holds === undefined && ctx.policy.executes)
      return finish({
        status: 'skipped',
        startedAt,
        durationMs: 0,
        note: 'condition (when) cannot be evaluated: its value was never set',
      });
  }
  // A retry the person chose after a failure runs again without asking twice (the walk journaled that choice).
  if (retry) return finish(await attempts(step, ctx, startedAt, `retried by ${ctx.policy.actor}`));
  return decide(step, ctx, startedAt, finish, await ctx.policy.beforeStep(step, view));
}

async function decide(
  step: PlanStep,
  ctx: StepRunContext,
  startedAt: string,
  finish: (r: StepResult) => StepOutcome,
  policyDecision: Decision,
): Promise<StepOutcome> {
  const decision = await withApproval(step, ctx, policyDecision);
  switch (decision.action) {
    case 'abort':
      // A refused approval was journaled as such; any other abort is the policy's decision.
      if (decision === policyDecision) appendDecision(step, ctx, 'abort', decision.reason);
      return {
        result: { status: 'skipped', startedAt, durationMs: 0, note: decision.reason },
        abortReason: decision.reason,
      };
    case 'skip':
      appendDecision(step, ctx, 'skip', decision.reason);
      return finish({ status: 'skipped', startedAt, durationMs: spentSince(startedAt, ctx), note: decision.reason });
    case 'recorded':
      appendDecision(step, ctx, `recorded ${decision.status}`, decision.note ? decision.note : undefined);
      return finish(recordedResult(step, ctx, startedAt, decision));
    case 'simulate':
      // A simulated status update is still written, with the projected clock, so facilitators see it.
      if (step.kind === 'notify') await ctx.executor.notify(step, ctx.vars.display(step.notify?.text ?? ''));
      return finish({
        status: 'simulated',
        startedAt,
        durationMs: 0,
        projectedMs: step.estimateMs,
        note: `${wouldDo(step, ctx.vars)}${step.approval ? ` (${approvalNeed(step.approval)}: not asked in a simulation)` : ''}`,
      });
    case 'execute':
      // An approval (--yes, a typed step id, a re-run after an unknown outcome) is a decision with a name on it.
      if (decision.note) appendDecision(step, ctx, 'run', decision.note);
      return finish(await attempts(step, ctx, startedAt, decision.note));
  }
}

function appendDecision(step: PlanStep, ctx: StepRunContext, choice: string, note: string | undefined): void {
  ctx.journal.append({
    type: 'decision',
    step: step.id,
    choice,
    by: ctx.policy.actor,
    ...(note !== undefined ? { note } : {}),
  });
}

/** A person's step takes the time they took: from the card shown to their answer. */
function recordedResult(
  step: PlanStep,
  ctx: StepRunContext,
  startedAt: string,
  decision: Extract<Decision, { action: 'recorded' }>,
): StepResult {
  return {
    status: decision.status,
    startedAt,
    durationMs: spentSince(startedAt, ctx),
    ...(decision.note ? { note: decision.note } : {}),
    ...(decision.status === 'failed' ? { error: decision.note ?? 'recorded as failed' } : {}),
    ...(ctx.policy.executes ? {} : { projectedMs: step.estimateMs }),
  };
}

async function attempts(
  step: PlanStep,
  ctx: StepRunContext,
  startedAt: string,
  note: string | undefined,
): Promise<StepResult> {
  const t0 = performance.now();
  const { attempt, n } = await attemptWithRetries(step, ctx);
  const { status, error } = attempt.status === 'passed' && step.capture ? capture(step, ctx, attempt) : attempt;
  return {
    status,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    attempts: n,
    ...(attempt.exitCode !== undefined ? { exitCode: attempt.exitCode } : {}),
    ...(attempt.output ? { output: attempt.output } : {}),
    ...(error ? { error } : {}),
    ...(attempt.fields ? { fields: attempt.fields } : {}),
    ...(note ? { note } : {}),
  };
}

/** Attempts until one passes or has an unknown outcome, the retries run out, or the run is stopped. */
async function attemptWithRetries(step: PlanStep, ctx: StepRunContext): Promise<{ attempt: Attempt; n: number }> {
  let attempt: Attempt = { status: 'failed' };
  let n = 0;
  for (;;) {
    n += 1;
    // Durable before the step begins: after a crash the journal shows what may have run.
    ctx.journal.append(
      {
        type: 'step-started',
        step: step.id,
        title: step.title,
        kind: step.kind,
        section: step.section,
        phase: step.phase,
        attempt: n,
      },
      { durable: true },
    );
    attempt = await attemptOnce(step, ctx);
    if (attempt.status === 'passed' || attempt.status === 'unknown' || n > step.retries || ctx.signal.aborted) break;
    await sleep(step.delayMs, ctx.signal);
  }
  return { attempt, n };
}

/** Sets and journals the values a passed step captured; any capture error fails the step. */
function capture(step: PlanStep, ctx: StepRunContext, attempt: Attempt): Pick<Attempt, 'status' | 'error'> {
  const captured = captureRules(step, ctx, attempt);
  for (const [name, value] of Object.entries(captured.values)) {
    ctx.vars.captured.set(name, value);
    ctx.journal.append({ type: 'captured', step: step.id, name, value });
  }
  if (captured.errors.length > 0) return { status: 'failed', error: captured.errors.join('; ') };
  return attempt;
}

/** Real time since a step was offered; a simulation spends none. */
function spentSince(startedAt: string, ctx: StepRunContext): number {
  return ctx.policy.executes ? Math.max(0, Date.now() - Date.parse(startedAt)) : 0;
}

/**
 * One attempt. Whatever goes wrong while a step runs (a value that was never captured, a NUL byte in
 * an argument, a client that throws) is that step's failure, so rollback and always still run and
 * the journal still ends. Only a journal that cannot be written stops the walk.
 */
async function attemptOnce(step: PlanStep, ctx: StepRunContext): Promise<Attempt> {
  try {
    return await EXECUTORS[step.kind](step, ctx.executor);
  } catch (error) {
    if (error instanceof JournalError) throw error;
    return { status: 'failed', error: `${step.id}: ${messageOf(error)}` };
  }
}

function captureRules(
  step: PlanStep,
  ctx: StepRunContext,
  attempt: Attempt,
): { values: Record<string, string>; errors: string[] } {
  try {
    return captureValues(ctx.vars.renderDeep(step.capture ?? {}), attempt);
  } catch (error) {
    return { values: {}, errors: [messageOf(error)] };
  }
}

/** Simulate mode: what the step would do, in words, with the values known so far. Describing a check never connects. */
function wouldDo(step: PlanStep, vars: RunVariables): string {
  switch (step.kind) {
    case 'run':
      return `would run: ${vars.display(step.command?.script ?? (step.command?.argv ?? []).join(' '))}`;
    case 'check':
      return step.check ? `would test: ${describeCheck(vars.displayDeep(step.check))}` : '';
    case 'wait':
      return step.wait
        ? `would wait up to ${step.wait.timeout} for: ${describeCheck(vars.displayDeep(step.wait))}`
        : '';
    case 'manual':
      return `a person would: ${vars.display(step.manual ?? '')}`;
    case 'notify':
      return `would send: ${vars.display(step.notify?.text ?? '')}`;
  }
}

/**
 * A step with `approval` that the policy would run (or record as done) waits for a second person first
 * (src/execute/approvals/approval-gate.ts): granted goes on with who approved in its note, anything else
 * aborts the run. --yes is the policy's answer, never an approval.
 */
async function withApproval(step: PlanStep, ctx: StepRunContext, decision: Decision): Promise<Decision> {
  const acts = decision.action === 'execute' || (decision.action === 'recorded' && decision.status === 'passed');
  if (!step.approval || !ctx.approvals || !acts) return decision;
  const answer = await ctx.approvals.ask(step, ctx.signal);
  if (!answer.granted) return { action: 'abort', reason: answer.reason };
  return { ...decision, note: [decision.note, answer.note].filter(Boolean).join('; ') };
}
