import type { PlanStep } from '../plan/plan-types.js';
import type { Decision, FailureChoice, ModePolicy, StepView } from '../execute/mode-policy.js';
import type { StepResult } from '../model/step-result.js';
import type { RunVariables } from '../execute/variables.js';
import type { Prompter } from './prompter.js';
import { stepCard, stepDetails } from './step-card.js';

type Action = 'run' | 'by-hand' | 'skip' | 'details' | 'abort';

export interface InteractiveOptions {
  prompter: Prompter;
  operator: string;
  vars: RunVariables;
  mask: (text: string) => string;
}

/**
 * The responder's mode: every step is shown with its clock and offered, never run unasked.
 * A destructive step needs its id typed back. Nothing is approved by default.
 */
export function interactivePolicy(options: InteractiveOptions): ModePolicy {
  const { prompter, operator, vars, mask } = options;
  const policy: ModePolicy = {
    mode: 'interactive',
    executes: true,
    actor: operator,
    beforeStep(step: PlanStep, view: StepView): Promise<Decision> {
      prompter.show(stepCard(step, view, vars, mask));
      return step.kind === 'manual' ? manualStep(step, options) : stepMenu(step, options);
    },
    afterFailure(step: PlanStep, result: StepResult): Promise<FailureChoice> {
      prompter.show(mask(failureText(step, result)));
      return prompter.choose<FailureChoice>('The step failed. What now?', [
        { value: 'retry', name: 'Retry it' },
        { value: 'continue', name: 'Continue with the next step' },
        { value: 'rollback', name: 'Start the rollback' },
        { value: 'abort', name: 'Abort the run' },
      ]);
    },
    resolveUnknown(step: PlanStep, view: StepView): Promise<Decision> {
      return resolveUnknown(step, view, options, (again, againView) => policy.beforeStep(again, againView));
    },
    announce(_step, text) {
      prompter.show(
        mask(
          `\n   ---- status update (copy into chat) ----\n${text
            .split('\n')
            .map((l) => `   ${l}`)
            .join('\n')}\n   ----`,
        ),
      );
    },
  };
  return policy;
}

/** The failed step's status and error, then the last lines of its output. */
function failureText(step: PlanStep, result: StepResult): string {
  return `   ${step.id} ${result.status}: ${result.error ?? ''}${
    result.output
      ? `\n   output (tail):\n${result.output
          .split('\n')
          .slice(-15)
          .map((l) => `     ${l}`)
          .join('\n')}`
      : ''
  }`;
}

/** A step that started before the run stopped: the responder checks by hand and records, re-runs or skips it. */
async function resolveUnknown(
  step: PlanStep,
  view: StepView,
  { prompter, operator }: InteractiveOptions,
  beforeStep: (step: PlanStep, view: StepView) => Promise<Decision>,
): Promise<Decision> {
  prompter.show(
    `\n── ${step.title} [${step.id}]: started before the run stopped, OUTCOME UNKNOWN. Check by hand before deciding.`,
  );
  const choice = await prompter.choose('What happened to it?', [
    { value: 'passed', name: 'It completed: record as passed' },
    { value: 'failed', name: 'It failed: record as failed' },
    { value: 'rerun', name: 'Run it again' },
    { value: 'skip', name: 'Skip it (reason required)' },
  ]);
  if (choice === 'rerun') {
    // Running it again is running it: the same card and the same gate (a destructive step's id typed back).
    const again = await beforeStep(step, view);
    return again.action === 'execute'
      ? {
          action: 'execute',
          note: `re-run by ${operator} after an unknown outcome${again.note ? `; ${again.note}` : ''}`,
        }
      : again;
  }
  if (choice === 'skip') return { action: 'skip', reason: await skipReason(prompter) };
  return {
    action: 'recorded',
    status: choice === 'passed' ? 'passed' : 'failed',
    note: `outcome unknown; recorded ${choice} by ${operator}`,
  };
}

/** A person's action: done (with a note), skipped with a reason, or the run aborted. */
async function manualStep(step: PlanStep, { prompter, operator }: InteractiveOptions): Promise<Decision> {
  const choice = await prompter.choose('Manual step', [
    { value: 'done', name: 'Done' },
    { value: 'skip', name: 'Skip (reason required)' },
    { value: 'abort', name: 'Abort the run' },
  ]);
  if (choice === 'skip') return { action: 'skip', reason: await skipReason(prompter) };
  if (choice === 'abort') return { action: 'abort', reason: `aborted by ${operator} at ${step.id}` };
  const note = await prompter.ask('Note (optional):');
  return { action: 'recorded', status: 'passed', note: `confirmed by ${operator}${note ? `: ${note}` : ''}` };
}

/** Run it, record it as done by hand, skip it, show its details, or abort; a destructive step needs its id typed back. */
async function stepMenu(step: PlanStep, { prompter, operator, vars, mask }: InteractiveOptions): Promise<Decision> {
  for (;;) {
    const action = await prompter.choose<Action>(step.kind === 'notify' ? 'Status update' : 'Next step', [
      { value: 'run', name: step.kind === 'notify' ? 'Send / show it now' : 'Run it now' },
      { value: 'by-hand', name: 'I did it by hand' },
      { value: 'skip', name: 'Skip (reason required)' },
      { value: 'details', name: 'Show details' },
      { value: 'abort', name: 'Abort the run' },
    ]);
    if (action === 'details') {
      prompter.show(stepDetails(step, vars, mask));
      continue;
    }
    if (action === 'skip') return { action: 'skip', reason: await skipReason(prompter) };
    if (action === 'abort') return { action: 'abort', reason: `aborted by ${operator} at ${step.id}` };
    if (action === 'by-hand') return byHand(prompter);
    if (!step.confirm) return { action: 'execute' };
    const typed = await prompter.ask(
      `Destructive step. Type its id (${step.id}) to run it, or leave empty to go back:`,
    );
    if (typed.trim() === step.id) return { action: 'execute', note: `confirmed by ${operator} (typed the step id)` };
    prompter.show('   not confirmed; nothing was run');
  }
}

function skipReason(prompter: Prompter): Promise<string> {
  return prompter.ask('Why skip it? (recorded in the journal)', { required: true });
}

async function byHand(prompter: Prompter): Promise<Decision> {
  const status = await prompter.choose('What was the outcome?', [
    { value: 'passed' as const, name: 'It worked' },
    { value: 'failed' as const, name: 'It failed' },
  ]);
  const note = await prompter.ask('Note (optional):');
  return { action: 'recorded', status, note: `done by hand${note ? `: ${note}` : ''}` };
}
