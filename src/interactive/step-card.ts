import { formatDuration } from '../model/duration.js';
import type { PlanStep } from '../plan/plan-types.js';
import type { StepView } from '../execute/mode-policy.js';
import type { RunVariables } from '../execute/variables.js';

/** What a responder sees before a step: where they are, why, the exact command, the clock. */
export function stepCard(step: PlanStep, view: StepView, vars: RunVariables, mask: (text: string) => string): string {
  const lines = [''];
  lines.push(`── ${view.phaseTitle ?? step.section} › ${step.title}  [${step.id}${step.confirm ? ', DESTRUCTIVE' : ''}]`);
  if (step.why) lines.push(`   why: ${step.why}`);
  const action = describeAction(step, vars);
  if (action) lines.push(...action.split('\n').map((l, i) => (i === 0 ? `   ${l}` : `     ${l}`)));
  if (step.expected) lines.push(`   expected: ${vars.display(step.expected)}`);
  const budget = view.phaseBudgetMs === null ? '' : ` / budget ${formatDuration(view.phaseBudgetMs)}${view.phaseElapsedMs > view.phaseBudgetMs ? ' OVER' : ''}`;
  lines.push(`   clock: phase ${formatDuration(view.phaseElapsedMs)}${budget} · incident ${formatDuration(view.elapsedMs)} of RTO ${formatDuration(view.rtoMs)}${view.elapsedMs > view.rtoMs ? ' OVER' : ''}`);
  return mask(lines.join('\n'));
}

function describeAction(step: PlanStep, vars: RunVariables): string {
  // Secrets show as ***: the value is only placed in the process environment.
  const showVars = (text: string) => vars.display(text);
  switch (step.kind) {
    case 'run': {
      const c = step.command;
      if (!c) return '';
      const env = Object.entries(c.env).map(([k, v]) => `${k}=${showVars(v)}`).join(' ');
      const cmd = c.script !== undefined ? `sh -c '${c.script}'` : (c.argv ?? []).map((a) => quote(showVars(a))).join(' ');
      return `run: ${env ? `${env} ` : ''}${cmd}${step.timeoutMs ? `  (timeout ${formatDuration(step.timeoutMs)})` : ''}`;
    }
    case 'manual':
      return `do by hand: ${vars.display(step.manual ?? '')}`;
    case 'check':
      return `check: ${showVars(JSON.stringify(step.check))}`;
    case 'wait':
      return `wait up to ${step.wait?.timeout ?? ''}: ${showVars(JSON.stringify(step.wait))}`;
    case 'notify':
      return `status update:\n${vars.display(step.notify?.text ?? '')}`;
  }
}

function quote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
