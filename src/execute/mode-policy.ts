import type { PlanStep } from '../plan/plan-types.js';
import type { StepResult } from '../model/step-result.js';

export type Mode = 'simulate' | 'auto' | 'interactive';

/** Thrown by a policy when its person is gone (Ctrl-C at a prompt, input closed): the run stops as interrupted. */
export class OperatorGone extends Error {
  override name = 'OperatorGone';
}

/** What to do with a step before it runs. */
export type Decision =
  | { action: 'execute'; note?: string }
  | { action: 'simulate' }
  | { action: 'skip'; reason: string }
  | { action: 'recorded'; status: 'passed' | 'failed'; note?: string }
  | { action: 'abort'; reason: string };

/** What to do after a step failed (its retries spent). 'default' follows the step's on_failure. */
export type FailureChoice = 'default' | 'retry' | 'continue' | 'rollback' | 'abort';

/** Facts a policy may show a person: the clock against budgets. */
export interface StepView {
  phaseTitle: string | null;
  elapsedMs: number;
  phaseElapsedMs: number;
  phaseBudgetMs: number | null;
  rtoMs: number;
}

/**
 * Modes are policies over one walk (run-incident.ts), not separate code paths: simulate never
 * executes, auto executes and refuses what needs a person unless --yes, interactive asks.
 */
export interface ModePolicy {
  readonly mode: Mode;
  /** Simulate mode: nothing is executed or connected to. */
  readonly executes: boolean;
  /** Who the journal names for decisions this policy makes. */
  readonly actor: string;
  beforeStep(step: PlanStep, view: StepView): Promise<Decision>;
  afterFailure(step: PlanStep, result: StepResult): Promise<FailureChoice>;
  /** Resume: a step started before the run stopped and never finished. Never re-run silently. */
  resolveUnknown(step: PlanStep, view: StepView): Promise<Decision>;
  /** Shows a notification text to whoever runs the incident. */
  announce(step: PlanStep, text: string): void;
}

export function simulatePolicy(injectFailure: string | undefined): ModePolicy {
  return {
    mode: 'simulate',
    executes: false,
    actor: 'simulate',
    beforeStep: (step) =>
      Promise.resolve(
        step.id === injectFailure
          ? { action: 'recorded', status: 'failed', note: 'failure injected by --inject-failure' }
          : { action: 'simulate' },
      ),
    afterFailure: () => Promise.resolve('default'),
    resolveUnknown: () => Promise.resolve({ action: 'simulate' }),
    announce: () => undefined,
  };
}

export function autoPolicy(options: {
  yes: boolean;
  operator: string;
  announce: (step: PlanStep, text: string) => void;
}): ModePolicy {
  return {
    mode: 'auto',
    executes: true,
    actor: options.operator,
    beforeStep(step) {
      if (step.kind === 'manual') {
        return Promise.resolve(
          options.yes
            ? { action: 'recorded', status: 'passed', note: 'assumed done: --yes' }
            : {
                action: 'abort',
                reason: `step "${step.id}" is a manual action; re-run with --yes to record it as done, or use --mode interactive`,
              },
        );
      }
      if (step.confirm) {
        return Promise.resolve(
          options.yes
            ? { action: 'execute', note: 'approved by --yes' }
            : {
                action: 'abort',
                reason: `step "${step.id}" needs confirmation (destructive); re-run with --yes to approve, or use --mode interactive`,
              },
        );
      }
      return Promise.resolve({ action: 'execute' });
    },
    afterFailure: () => Promise.resolve('default'),
    resolveUnknown: (step) =>
      Promise.resolve({
        action: 'abort',
        reason: `step "${step.id}" started before the run stopped and its outcome is unknown; resume with --mode interactive to decide`,
      }),
    announce: options.announce,
  };
}
