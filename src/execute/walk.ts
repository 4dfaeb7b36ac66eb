import { formatDuration } from '../model/duration.js';
import type { JournalWriter } from '../journal/journal-writer.js';
import { appendOverrun } from './append-overrun.js';
import { planSections, type WalkSection } from '../plan/plan-sections.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
import { executeStep, type CarriedState, type StepRunContext } from './execute-step.js';
import { OperatorGone, type ModePolicy, type StepView } from './mode-policy.js';
import type { StepResult, StepStatus } from '../model/step-result.js';
import type { RunVariables } from './variables.js';
import type { ChannelSender } from './notify/send.js';
import { interruption, type Stop } from './stop.js';
import type { ApprovalGate } from './approvals/approval-gate.js';

export interface WalkInput {
  plan: Plan;
  policy: ModePolicy;
  journal: JournalWriter;
  vars: RunVariables;
  signal: AbortSignal;
  carried: CarriedState;
  /** When the run first started (a resumed run keeps its clock). */
  startedAtMs: number;
  /** The one sender of notifications (notify steps' channels). */
  sender: ChannelSender;
  /** Told the run's clock after each step: a simulation's timed events (escalation) fire on the projected clock. */
  onClock?: (elapsedMs: number) => void;
  /** Asks a second person before steps with `approval` (a real run only). */
  approvals?: ApprovalGate;
}

const FAILED: ReadonlySet<StepStatus> = new Set(['failed', 'timed-out', 'unknown']);
type AfterPhases = 'rollback' | 'cleanup' | 'always';

/**
 * The walk as explicit state: the step statuses so far, the projected clock (simulate), and which
 * phase the clock is in. Sections run their steps in order; a step is settled (run, retried, its
 * failure handled) before the next; the first Stop ends a section.
 */
export class Walk {
  readonly statuses = new Map<string, StepStatus>();
  /** Time spent in each phase, carried over a resume: phases outside the RTO clock are taken out of it. */
  readonly phaseMs: Map<string, number>;
  private projectedMs = 0;
  private phaseIndex = 0;
  private readonly sections: WalkSection[];
  private readonly ctx: StepRunContext;

  constructor(private readonly input: WalkInput) {
    const { plan, policy, journal, vars, signal, carried } = input;
    this.sections = planSections(plan);
    this.phaseMs = new Map(carried.phaseMs ?? []);
    vars.setClock((name) => this.clock(name));
    this.ctx = {
      policy,
      journal,
      vars,
      signal,
      carried,
      ...(input.approvals && policy.executes ? { approvals: input.approvals } : {}),
      statuses: this.statuses,
      elapsed: () => this.elapsed(),
      executor: {
        vars,
        signal,
        notify: (step, text) => {
          journal.append({
            type: 'notification',
            step: step.id,
            text,
            ...(step.notify?.channel ? { channel: step.notify.channel } : {}),
          });
          policy.announce(step, text);
          return Promise.resolve();
        },
        send: (about, channels, text) => input.sender.send(about, channels, text),
      },
    };
  }

  /** Milliseconds since the run started: real time, or the projected time in simulate mode. */
  elapsed(): number {
    return this.input.policy.executes ? Date.now() - this.input.startedAtMs : this.projectedMs;
  }

  /**
   * The phases in order; the first Stop ends the walk through them. `until-recovery` walks up to the last
   * phase on the RTO clock, `after-recovery` the phases outside it that follow (failback, watching).
   */
  async phases(part: 'until-recovery' | 'after-recovery'): Promise<Stop | undefined> {
    const phases = this.sections.filter((s) => s.section === 'phase');
    const split = lastCountingPhase(this.input.plan) + 1;
    for (const [index, phase] of phases.entries()) {
      if ((part === 'until-recovery') !== index < split) continue;
      const { completed } = this.input.carried;
      if (phase.steps.every((s) => completed.has(s.id))) {
        for (const s of phase.steps) this.statuses.set(s.id, completed.get(s.id)?.status ?? 'passed');
        continue;
      }
      const stop = await this.phase(phase, index);
      if (stop) return stop;
    }
    return undefined;
  }

  /** A section after the phases, when the plan has one: journaled with why it runs. */
  async after(section: AfterPhases, reason: string): Promise<Stop | undefined> {
    const found = this.sections.find((s) => s.section === section);
    if (!found) return undefined;
    this.input.journal.append({ type: 'section-started', section, reason });
    return this.section(found, this.input.plan.phases.length, this.elapsed());
  }

  private async phase(phase: WalkSection, index: number): Promise<Stop | undefined> {
    const { journal, policy } = this.input;
    const budgetMs = phase.budgetMs ?? 0;
    journal.append({ type: 'phase-started', phase: phase.id });
    const startMs = this.elapsed();
    const overrun = policy.executes
      ? setTimeout(() => {
          appendOverrun(journal, { type: 'overrun', scope: 'phase', id: phase.id, budgetMs });
        }, budgetMs)
      : undefined;
    overrun?.unref();
    let stop: Stop | undefined;
    try {
      stop = await this.section(phase, index, startMs);
    } finally {
      clearTimeout(overrun);
    }
    const durationMs = this.elapsed() - startMs;
    // A real run's overrun was journaled by its timer the moment it happened; a projection's is known only now.
    if (!policy.executes && durationMs > budgetMs)
      journal.append({ type: 'overrun', scope: 'phase', id: phase.id, budgetMs });
    this.phaseMs.set(phase.id, (this.phaseMs.get(phase.id) ?? 0) + durationMs);
    journal.append({ type: 'phase-finished', phase: phase.id, durationMs, budgetMs, overrun: durationMs > budgetMs });
    return stop;
  }

  private async section(section: WalkSection, index: number, startMs: number): Promise<Stop | undefined> {
    for (const step of section.steps) {
      if (this.input.signal.aborted) return interruption(this.input.signal);
      this.phaseIndex = index;
      this.input.vars.setPhase(section.id, section.title);
      this.input.vars.setStep(step.id, step.title);
      const stop = await this.step(step, section, startMs);
      if (stop) return stop;
    }
    return undefined;
  }

  /** One step until it is settled: it runs; after a failure the policy decides, and a retry runs it again. */
  private async step(step: PlanStep, section: WalkSection, startMs: number): Promise<Stop | undefined> {
    const { signal } = this.input;
    for (let retrying = false; ; retrying = true) {
      const outcome = await executeStep(step, this.ctx, this.view(section, startMs), retrying).catch(operatorGone);
      if (!outcome) return this.gone(`the operator left at step "${step.id}"`);
      this.projectedMs += outcome.result.projectedMs ?? 0;
      this.input.onClock?.(this.elapsed());
      if (outcome.abortReason) return { kind: 'abort', reason: outcome.abortReason };
      if (signal.aborted && (outcome.result.status === 'unknown' || outcome.result.status === 'failed'))
        return interruption(signal);
      // A step replayed from before a resume had its failure handled then.
      if (outcome.replayed || !FAILED.has(outcome.result.status)) return undefined;
      const next = await this.afterFailure(step, outcome.result);
      if (next !== 'retry') return next;
    }
  }

  private async afterFailure(step: PlanStep, result: StepResult): Promise<Stop | undefined | 'retry'> {
    const { policy, journal } = this.input;
    const choice = await policy.afterFailure(step, result).catch(operatorGone);
    if (!choice) return this.gone(`the operator left after step "${step.id}" failed`);
    if (choice === 'retry') {
      journal.append({ type: 'decision', step: step.id, choice: 'retry', by: policy.actor });
      return 'retry';
    }
    const action = choice === 'default' ? step.onFailure : choice;
    if (choice !== 'default') journal.append({ type: 'decision', step: step.id, choice: action, by: policy.actor });
    if (action === 'continue') return undefined;
    return {
      kind: action,
      reason: `step "${step.id}" ${result.status}: ${result.error ?? ''}`.trim(),
      stepFailed: true,
    };
  }

  private view(section: WalkSection, startMs: number): StepView {
    const elapsedMs = this.elapsed();
    return {
      phaseTitle: section.section === 'phase' ? section.title : null,
      elapsedMs,
      phaseElapsedMs: elapsedMs - startMs,
      phaseBudgetMs: section.budgetMs,
      rtoMs: this.input.plan.incident.rtoMs,
    };
  }

  /** The person left (Ctrl-C at a prompt, input closed); a signal that came with it names the reason. */
  private gone(reason: string): Stop {
    return this.input.signal.aborted ? interruption(this.input.signal) : { kind: 'interrupted', reason };
  }

  private clock(name: string): string | undefined {
    const { plan } = this.input;
    switch (name) {
      case 'elapsed':
        return formatDuration(this.elapsed());
      case 'remaining':
        return formatDuration(Math.max(0, plan.incident.rtoMs - this.elapsed()));
      case 'eta':
        // What the budgets of this phase and the later ones add up to.
        return formatDuration(plan.phases.slice(this.phaseIndex).reduce((n, p) => n + p.budgetMs, 0));
      default:
        return undefined;
    }
  }
}

/** The index of the last phase on the RTO clock (-1 when none is). */
function lastCountingPhase(plan: Plan): number {
  return plan.phases.map((p) => !p.outsideRto).lastIndexOf(true);
}

/** Turns "the person is gone" into undefined (the run stops as interrupted); other errors go on. */
function operatorGone(error: unknown): undefined {
  if (error instanceof OperatorGone) return undefined;
  throw error;
}
