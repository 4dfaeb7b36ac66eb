import { join } from 'node:path';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { autoPolicy, simulatePolicy, type Mode, type ModePolicy } from '../../execute/mode-policy.js';
import { runIncident } from '../../execute/run-incident.js';
import { SecretMasker } from '../../execute/secrets.js';
import { RunVariables } from '../../execute/variables.js';
import { Journal, readJournal } from '../../journal/journal.js';
import { newRunId, runsDir, writeFileAtomic } from '../../journal/run-store.js';
import { UsageError } from '../../model/errors.js';
import { buildPlan } from '../../plan/build-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { listrProgress } from '../../progress/listr.js';
import { plainProgress } from '../../progress/plain.js';
import type { Progress } from '../../progress/progress.js';
import { silentProgress } from '../../progress/progress.js';
import { buildReport } from '../../report/build-report.js';
import { reportMarkdown } from '../../report/report-markdown.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { parseVarOptions } from '../var-options.js';
import { collectVar } from './plan.js';

interface RunFlags {
  file?: string;
  env?: string;
  mode: Mode;
  var: string[];
  yes?: boolean;
  injectFailure?: string;
  json?: boolean;
  renderer: 'auto' | 'plain' | 'listr';
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run one incident: simulate (nothing executed), auto (every step executed) or interactive')
    .argument('<incident>', 'incident id, e.g. INC-003')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--env <name>', 'environment whose variables to use (default: the first one defined)')
    .addOption(new Option('--mode <mode>', 'how to run').choices(['simulate', 'auto', 'interactive']).default('simulate'))
    .option('--var <key=value>', 'override a variable (repeatable)', collectVar, [])
    .option('--yes', 'auto mode: approve confirm steps and record manual steps as done')
    .option('--inject-failure <step>', 'simulate mode: make this step fail to show the on_failure/rollback path')
    .option('--json', 'print only the final report as JSON on stdout')
    .addOption(new Option('--renderer <name>', 'progress display').choices(['auto', 'plain', 'listr']).default('auto'))
    .action(async (incident: string, flags: RunFlags) => {
      process.exitCode = await runCommand(incident, flags);
    });
}

async function runCommand(incident: string, flags: RunFlags): Promise<number> {
  const { runbook, file, text } = openRunbook(runbookPath(flags.file));
  const environment = resolveEnvironment(runbook, flags.env, parseVarOptions(flags.var));
  const plan = buildPlan({ runbook, file, text, incidentId: incident, environment });
  if (flags.injectFailure !== undefined) {
    if (flags.mode !== 'simulate') throw new UsageError('--inject-failure only applies to --mode simulate');
    if (!allSteps(plan).some((s) => s.id === flags.injectFailure)) throw new UsageError(`--inject-failure: ${incident} has no step "${flags.injectFailure}"`);
  }
  if (flags.mode === 'interactive') throw new UsageError('--mode interactive is not available yet; use --mode auto or simulate');
  const operator = process.env.USER ?? safeUser();
  const masker = new SecretMasker(plan.secrets);
  const runId = newRunId(plan.incident.id);
  const dir = join(runsDir(), runId);
  const journal = Journal.open(dir, masker);
  const progress = pickProgress(flags, masker, plan);
  journal.onEvent((e) => { progress.onEvent(e); });
  const policy: ModePolicy = flags.mode === 'simulate'
    ? { ...simulatePolicy(flags.injectFailure), announce: (s, t) => { progress.announce(s.id, masker.mask(t)); } }
    : autoPolicy({ yes: flags.yes === true, operator, announce: (s, t) => { progress.announce(s.id, masker.mask(t)); } });

  const controller = new AbortController();
  let interrupts = 0;
  const onSigint = () => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  let exitCode: number;
  try {
    const summary = await runIncident({ plan, policy, journal, runId, operator, signal: controller.signal, variables: new RunVariables(environment.vars, plan.secrets) });
    exitCode = summary.exitCode;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    journal.close();
    await progress.close();
  }
  const report = buildReport(readJournal(journal.path));
  writeFileAtomic(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(join(dir, 'report.md'), reportMarkdown(report));
  if (flags.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`\n${timelineSummary(report)}\nreport: ${join(dir, 'report.md')}\n`);
  return exitCode;
}

/** Live Listr2 progress on a terminal; one line per event in pipes, CI and with --renderer plain. */
function pickProgress(flags: RunFlags, masker: SecretMasker, plan: Plan): Progress {
  if (flags.json) return silentProgress;
  const write = (line: string) => process.stdout.write(`${masker.mask(line)}\n`);
  if (flags.renderer === 'listr' || (flags.renderer === 'auto' && process.stdout.isTTY)) return listrProgress(plan, write);
  return plainProgress(write);
}

function timelineSummary(report: ReturnType<typeof buildReport>): string {
  const md = reportMarkdown(report);
  const start = md.indexOf('## Projected timeline') >= 0 ? md.indexOf('## Projected timeline') : md.indexOf('## Timeline');
  const end = md.indexOf('## Steps');
  return md.slice(start, end).trimEnd();
}

function allSteps(plan: Plan) {
  return [...plan.phases.flatMap((p) => p.steps), ...plan.rollback, ...plan.always, ...plan.cleanup];
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
