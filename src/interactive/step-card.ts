import { approvalNeed } from '../model/approval-need.js';
import { formatDuration } from '../model/duration.js';
import { shellLine, shellQuote } from '../model/shell-quote.js';
import type { PlanStep } from '../plan/plan-types.js';
import type { StepView } from '../execute/mode-policy.js';
import { describeCheck } from '../execute/checks/describe.js';
import type { RunVariables } from '../execute/variables.js';

/** What a responder sees before a step: where they are, why, the exact command, the clock. */
export function stepCard(step: PlanStep, view: StepView, vars: RunVariables, mask: (text: string) => string): string {
  const lines = [''];
  lines.push(
    `── ${view.phaseTitle ?? step.section} › ${step.title}  [${step.id}${step.confirm ? ', DESTRUCTIVE' : ''}]`,
  );
  if (step.why) lines.push(`   why: ${step.why}`);
  const action = describeAction(step, vars);
  if (action) lines.push(...action.split('\n').map((l, i) => (i === 0 ? `   ${l}` : `     ${l}`)));
  if (step.expected) lines.push(`   expected: ${vars.display(step.expected)}`);
  if (step.approval) lines.push(`   ${approvalNeed(step.approval)}: the run waits for it after you choose to run`);
  const budget =
    view.phaseBudgetMs === null
      ? ''
      : ` / budget ${formatDuration(view.phaseBudgetMs)}${view.phaseElapsedMs > view.phaseBudgetMs ? ' OVER' : ''}`;
  lines.push(
    `   clock: phase ${formatDuration(view.phaseElapsedMs)}${budget} · incident ${formatDuration(view.elapsedMs)} of RTO ${formatDuration(view.rtoMs)}${view.elapsedMs > view.rtoMs ? ' OVER' : ''}`,
  );
  return mask(lines.join('\n'));
}

/** "Show details": everything the runbook says about the step, in words, values filled, secrets as ***. */
export function stepDetails(step: PlanStep, vars: RunVariables, mask: (text: string) => string): string {
  const lines = [`   ${step.kind} step ${step.id}: ${step.title}`];
  const add = (label: string, value: string | undefined) => {
    if (value) lines.push(`   ${label}: ${value}`);
  };
  add('does', describeAction(step, vars).replace(/\n/g, '\n     '));
  for (const check of step.verify) add('then verifies', describeCheck(vars.displayDeep(check)));
  add('timeout', step.timeoutMs === null ? undefined : formatDuration(step.timeoutMs));
  add('retries', step.retries > 0 ? `${step.retries}, ${formatDuration(step.delayMs)} apart` : undefined);
  add('when', step.when ? whenText(step) : undefined);
  add('captures', step.capture ? Object.keys(step.capture).join(', ') : undefined);
  add('on failure', step.onFailure);
  add('needs confirmation', step.confirm ? 'yes: destructive, its id is typed back' : undefined);
  add('approval', step.approval ? approvalNeed(step.approval) : undefined);
  add('estimate', formatDuration(step.estimateMs));
  return mask(lines.join('\n'));
}

function describeAction(step: PlanStep, vars: RunVariables): string {
  switch (step.kind) {
    case 'run':
      return step.command
        ? `run: ${commandLine(step, vars)}${step.timeoutMs ? `  (timeout ${formatDuration(step.timeoutMs)})` : ''}`
        : '';
    case 'manual':
      return `do by hand: ${vars.display(step.manual ?? '')}`;
    case 'check':
      return step.check ? `check: ${describeCheck(vars.displayDeep(step.check))}` : '';
    case 'wait':
      return step.wait
        ? `wait up to ${step.wait.timeout}, every ${step.wait.every}, until: ${describeCheck(vars.displayDeep(waitProbe(step.wait)))}`
        : '';
    case 'notify':
      return `status update:\n${vars.display(step.notify?.text ?? '')}`;
  }
}

/**
 * The command as a responder could copy it and run it by hand: quoted for a POSIX shell, values
 * filled in, secrets as ***. A shell script is shown with the variables it reads set in front of it.
 */
function commandLine(step: PlanStep, vars: RunVariables): string {
  const c = step.command;
  if (!c) return '';
  const env = Object.entries(c.env).map(([k, v]) => `${k}=${shellQuote(vars.display(v))}`);
  if (c.script === undefined) return [...env, shellLine((c.argv ?? []).map((a) => vars.display(a)))].join(' ');
  const exported = vars.exported();
  const used = [...new Set([...c.script.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ''))];
  const inherited = used
    .filter((name) => exported[name] !== undefined && !(name in c.env))
    .map((name) => `${name}=${shellQuote(exported[name] ?? '')}`);
  return [...inherited, ...env, 'sh', '-c', shellQuote(c.script)].join(' ');
}

function waitProbe(wait: NonNullable<PlanStep['wait']>) {
  const { every: _every, everyMs: _everyMs, timeout: _timeout, timeoutMs: _timeoutMs, ...probe } = wait;
  return probe;
}

function whenText(step: PlanStep): string {
  const w = step.when;
  if (!w) return '';
  if (w.step !== undefined) return `step ${w.step} ended ${(w.status ?? []).join(' or ')}`;
  const condition =
    w.equals !== undefined
      ? `= ${String(w.equals)}`
      : w.not_equals !== undefined
        ? `≠ ${String(w.not_equals)}`
        : w.matches !== undefined
          ? `matches /${w.matches}/`
          : 'is set';
  return `${w.var ?? ''} ${condition}`;
}
