import type { Command } from 'commander';
import { formatDuration } from '../../model/duration.js';
import { buildPlan } from '../../plan/build-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { parseVarOptions } from '../var-options.js';
import { rollbackRunOrder } from '../../plan/rollback-order.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
    .description('show the plan one incident would walk: phases, steps, budgets, resolved variables')
    .argument('<incident>', 'incident id, e.g. INC-003')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--env <name>', 'environment whose variables to use (default: the first one defined)')
    .option('--var <key=value>', 'override a variable (repeatable)', collectVar, [])
    .option('--json', 'print the plan as JSON')
    .action((incident: string, options: { file?: string; env?: string; var: string[]; json?: boolean }) => {
      const { runbook, file, text } = openRunbook(runbookPath(options.file));
      const environment = resolveEnvironment(runbook, options.env, parseVarOptions(options.var));
      const plan = buildPlan({ runbook, file, text, incidentId: incident, environment });
      process.stdout.write(options.json ? `${JSON.stringify(plan, null, 2)}\n` : describePlan(plan));
    });
}

export function collectVar(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function describePlan(plan: Plan): string {
  const lines = [`${plan.incident.id} ${plan.incident.title} [${plan.incident.severity}]  RTO ${plan.incident.rto}  RPO ${plan.incident.rpo ?? 'n/a'}  env ${plan.environment}`];
  let cumulative = 0;
  for (const phase of plan.phases) {
    cumulative += phase.budgetMs;
    lines.push('', `${phase.id}: ${phase.title}  budget ${phase.budget} (cumulative ${formatDuration(cumulative)})`);
    for (const step of phase.steps) lines.push(`  - ${step.id} [${step.kind}${step.confirm ? ', confirm' : ''}] ${step.title}`);
  }
  for (const section of ['rollback', 'always', 'cleanup'] as const) {
    if (plan[section].length === 0) continue;
    lines.push('', section === 'rollback' ? 'rollback (in the order it runs):' : `${section}:`);
    for (const step of section === 'rollback' ? rollbackRunOrder(plan.rollback) : plan[section]) lines.push(`  - ${step.id} [${step.kind}] ${step.title}`);
  }
  return `${lines.join('\n')}\n`;
}
