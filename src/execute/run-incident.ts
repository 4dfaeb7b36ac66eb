import type { Plan } from '../plan/plan-types.js';
import { EXIT } from '../model/errors.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { appendOverrun } from './append-overrun.js';
import { JOURNAL_VERSION } from '../journal/event-shape.js';
import type { RunOutcome } from '../journal/events.js';
import { phaseStepsBefore } from '../plan/steps-before.js';
import { describeCheck } from './checks/describe.js';
import { runCheck } from './checks/registry.js';
import type { ModePolicy } from './mode-policy.js';
import type { ResumeState } from './resume.js';
import type { StepResult } from '../model/step-result.js';
import type { RunVariables } from './variables.js';
import { Walk } from './walk.js';
import { ClockEvents } from './clock-events.js';
import { ChannelSender } from './notify/send.js';
import type { Stop } from './stop.js';
import type { ApprovalGate } from './approvals/approval-gate.js';
import { decide, type Ending } from '../verdict/decide.js';
import { messageOf } from '../model/error-message.js';

export { RunStopRequest } from './stop.js';

export interface RunOptions {
  plan: Plan;
  policy: ModePolicy;
  journal: JournalWriter;
  runId: string;
  operator: string;
  signal: AbortSignal;
  variables: RunVariables;
  /** Continue a stopped run (its journal state), or start at a step (--from). */
  resume?: ResumeState;
  fromStep?: string;
  /** Where the run was started from (src/journal/origin.ts), recorded in run-started. */
  origin?: { host: string; user: string; ci: Record<string, string> | null };
  /** Where a step's approval is asked (src/execute/approvals/); a simulation asks nobody. */
  approvals?: ApprovalGate;
}

export interface RunSummary {
  outcome: RunOutcome;
  exitCode: number;
}

/**
 * A run, start to verdict: the phases (src/execute/walk.ts), the recovered condition, then the
 * rollback, cleanup and always sections as the outcome calls for them, then the verdict.
 */
export async function runIncident(options: RunOptions): Promise<RunSummary> {
  const { plan, policy, journal, signal, variables: vars } = options;
  // A resumed run keeps the incident's clock: time since the run first started.
  const startedAtMs = options.resume?.startedAtMs ?? Date.now();
  for (const [name, value] of options.resume?.captured ?? []) vars.captured.set(name, value);
  vars.setRun({ id: options.runId, operator: options.operator, started: new Date(startedAtMs).toISOString() });
  const sender = new ChannelSender(plan.comms, vars, journal, signal);
  const clock = new ClockEvents({
    plan,
    journal,
    vars,
    sender,
    executes: policy.executes,
    remindOnly: policy.mode === 'interactive',
    fired: options.resume?.fired ?? { levels: new Set(), updates: 0 },
  });
  const walk = new Walk({
    plan,
    policy,
    journal,
    vars,
    signal,
    carried: carriedOver(options),
    startedAtMs,
    sender,
    ...(options.approvals ? { approvals: options.approvals } : {}),
    onClock: (ms) => {
      clock.due(ms);
    },
  });
  journalStart(options);
  clock.start(() => walk.elapsed());
  const rtoTimer = rtoOverrunTimer(options, walk.elapsed());
  try {
    // The recovered condition is checked after the last phase on the RTO clock; trailing phases outside it
    // (failback, watching the new primary) follow a recovery and never delay its measurement.
    let stop = await walk.phases('until-recovery');
    const outsideBeforeMs = outsideTime(plan, walk.phaseMs);
    const recoveredMs = stop ? null : await recovered(plan, policy, vars, signal, journal, () => walk.elapsed());
    // Escalation and status updates are about an incident still down: they stop once it is recovered.
    if (recoveredMs !== null) clock.halt();
    const end = walk.elapsed();
    if (!stop && recoveredMs !== null) stop = await walk.phases('after-recovery');
    stop = await afterPhases(walk, stop, recoveredMs);
    await clock.stop();
    return finish(options, { stop, recoveredMs, end, outsideBeforeMs, outsideMs: outsideTime(plan, walk.phaseMs) });
  } finally {
    clearTimeout(rtoTimer);
    await clock.stop();
  }
}

/** What a resumed run or `--from` carries into the walk: finished and unknown steps, steps to skip, phase times. */
function carriedOver(options: RunOptions) {
  return {
    completed: options.resume?.completed ?? new Map<string, StepResult>(),
    unknown: new Set(options.resume?.unknown ?? []),
    skip: new Set(options.fromStep ? phaseStepsBefore(options.plan, options.fromStep) : []),
    ...(options.resume ? { phaseMs: options.resume.phaseMs } : {}),
  };
}

/** Journals the RTO's overrun the moment it passes (a real run only), without waiting for a step to end. */
function rtoOverrunTimer({ plan, policy, journal }: RunOptions, elapsedMs: number): NodeJS.Timeout | undefined {
  const left = plan.incident.rtoMs - elapsedMs;
  if (!policy.executes || left <= 0) return undefined;
  const timer = setTimeout(() => {
    appendOverrun(journal, { type: 'overrun', scope: 'rto', id: plan.incident.id, budgetMs: plan.incident.rtoMs });
  }, left);
  timer.unref();
  return timer;
}

/** Time spent so far in phases outside the RTO clock. */
function outsideTime(plan: Plan, phaseMs: ReadonlyMap<string, number>): number {
  return plan.phases.filter((p) => p.outsideRto).reduce((n, p) => n + (phaseMs.get(p.id) ?? 0), 0);
}

/** Rollback when a failure asked for it; cleanup after a recovery (outside the RTO); always, unless interrupted. */
async function afterPhases(walk: Walk, stop: Stop | undefined, recoveredMs: number | null): Promise<Stop | undefined> {
  if (stop?.kind === 'rollback') await walk.after('rollback', stop.reason);
  if (!stop && recoveredMs !== null) {
    const cleanupStop = await walk.after('cleanup', 'post-recovery cleanup');
    if (cleanupStop?.kind === 'interrupted') return cleanupStop;
  }
  // An interrupted run is not over (it can be resumed), so its always steps wait for the end.
  if (stop?.kind !== 'interrupted') await walk.after('always', 'always steps run whatever happened');
  return stop;
}

function journalStart({ plan, policy, journal, operator, runId, resume, fromStep, origin }: RunOptions): void {
  if (resume) {
    journal.append(
      { type: 'run-resumed', operator, mode: policy.mode, ...(fromStep ? { from: fromStep } : {}) },
      { durable: true },
    );
    return;
  }
  journal.append(
    {
      type: 'run-started',
      journalVersion: JOURNAL_VERSION,
      runId,
      mode: policy.mode,
      operator,
      ...(origin ? { origin } : {}),
      environment: plan.environment,
      incident: {
        id: plan.incident.id,
        title: plan.incident.title,
        severity: plan.incident.severity,
        rtoMs: plan.incident.rtoMs,
        rpoMs: plan.incident.rpoMs,
      },
      runbook: {
        file: plan.runbook.file,
        name: plan.runbook.name,
        version: plan.runbook.version,
        sha256: plan.runbook.sha256,
      },
      variables: plan.variables,
      phases: plan.phases.map((p) => ({
        id: p.id,
        title: p.title,
        budgetMs: p.budgetMs,
        steps: p.steps.map((s) => s.id),
      })),
    },
    { durable: true },
  );
}

async function recovered(
  plan: Plan,
  policy: ModePolicy,
  vars: RunVariables,
  signal: AbortSignal,
  journal: JournalWriter,
  elapsed: () => number,
): Promise<number | null> {
  if (!policy.executes) {
    const checks = plan.recovered.map((spec) => ({
      description: `would test: ${describeCheck(vars.displayDeep(spec))}`,
      ok: true,
    }));
    journal.append({ type: 'recovery-check', ok: true, checks });
    return elapsed();
  }
  const results = await Promise.all(
    plan.recovered.map((spec) =>
      runCheck(vars.prepareCheck(spec), signal).catch((error: unknown) => ({
        ok: false,
        description: 'recovered condition',
        error: messageOf(error),
      })),
    ),
  );
  const ok = results.every((r) => r.ok);
  journal.append(
    {
      type: 'recovery-check',
      ok,
      checks: results.map((r) => ({ description: r.description, ok: r.ok, ...(r.error ? { error: r.error } : {}) })),
    },
    { durable: true },
  );
  return ok ? elapsed() : null;
}

/** How the walk ended, as facts for the verdict. */
interface WalkEnd {
  stop: Stop | undefined;
  recoveredMs: number | null;
  end: number;
  /** Time in phases outside the RTO clock before the recovered condition was checked: taken out of the time to recover. */
  outsideBeforeMs: number;
  /** Time in all phases outside the RTO clock, for the report. */
  outsideMs: number;
}

/** How the walk ended, in the verdict's words. */
function endingOf(stop: Stop | undefined, recoveredMs: number | null): Ending {
  if (stop?.kind === 'interrupted') return 'interrupted';
  if (stop?.kind === 'rollback') return 'rolled-back';
  if (stop?.kind === 'abort') return stop.stepFailed ? 'step-failed' : 'aborted';
  return recoveredMs === null ? 'not-recovered' : 'recovered';
}

/** The data-loss window the incident's rpo measure captured (seconds), in ms; null when it measured nothing. */
function measuredRpoMs(plan: Plan, vars: RunVariables): number | null {
  const measure = plan.incident.rpoMeasure ? vars.captured.get(plan.incident.rpoMeasure) : undefined;
  return measure !== undefined && Number.isFinite(Number(measure)) ? Math.round(Number(measure) * 1000) : null;
}

function finish(
  { plan, policy, journal, variables: vars }: RunOptions,
  { stop, recoveredMs, end, outsideBeforeMs, outsideMs }: WalkEnd,
): RunSummary {
  const rpoMeasuredMs = measuredRpoMs(plan, vars);
  const outside = plan.phases.filter((p) => p.outsideRto).map((p) => p.id);
  const recoveredAtMs = recoveredMs === null ? null : recoveredMs - outsideBeforeMs;
  const ending = endingOf(stop, recoveredMs);
  // The verdict (src/verdict) is the only judge of outcome, "met" and exit code; the walk gives it facts.
  const v = decide({
    simulated: !policy.executes,
    ending,
    recoveredAtMs,
    rtoTargetMs: plan.incident.rtoMs,
    rpoTargetMs: plan.incident.rpoMs,
    rpoMeasuredMs,
    ...(stop?.exitCode !== undefined ? { stopExitCode: stop.exitCode } : {}),
  });
  const outcome = v.outcome === 'unfinished' ? 'interrupted' : v.outcome;
  const exitCode = v.exitCode ?? EXIT.interrupted;
  journal.append(
    {
      type: 'run-finished',
      outcome,
      exitCode,
      ...(stop
        ? { reason: stop.reason }
        : recoveredMs === null
          ? { reason: 'the recovered condition does not hold' }
          : {}),
      rto: {
        targetMs: plan.incident.rtoMs,
        measuredMs: policy.executes ? recoveredAtMs : null,
        projectedMs: policy.executes ? null : (recoveredAtMs ?? end - outsideBeforeMs),
        met: v.rtoMet,
        ...(outside.length > 0 ? { outsideMs, outsidePhases: outside } : {}),
      },
      rpo: { targetMs: plan.incident.rpoMs, measuredMs: rpoMeasuredMs, met: v.rpoMet },
    },
    { durable: true },
  );
  return { outcome, exitCode };
}
