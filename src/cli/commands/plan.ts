import type { Command } from 'commander';
import { formatDuration } from '../../model/duration.js';
import { buildPlan } from '../../plan/build-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { collectVar, parseVarOptions } from '../var-options.js';
import { planSections } from '../../plan/plan-sections.js';

export function registerPlan(program: Command): void {
  program
    .command('plan')
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

function describePlan(plan: Plan): string {
  const lines = [
    `${plan.incident.id} ${plan.incident.title} [${plan.incident.severity}]  RTO ${plan.incident.rto}  RPO ${plan.incident.rpo ?? 'n/a'}  env ${plan.environment}`,
  ];
  let cumulative = 0;
  for (const section of planSections(plan)) {
    if (section.budgetMs !== null) {
      cumulative += section.budgetMs;
      lines.push(
        '',
        `${section.id}: ${section.title}  budget ${formatDuration(section.budgetMs)} (cumulative ${formatDuration(cumulative)})`,
      );
    } else {
      lines.push('', section.section === 'rollback' ? 'rollback (in the order it runs):' : `${section.section}:`);
    }
    for (const step of section.steps)
      lines.push(`  - ${step.id} [${step.kind}${step.confirm ? ', confirm' : ''}] ${step.title}`);
  }
  return `${lines.join('\n')}\n`;
}
