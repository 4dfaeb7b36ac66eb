import { join } from 'node:path';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { autoPolicy, simulatePolicy, type Mode, type ModePolicy } from '../../execute/mode-policy.js';
import { runIncident } from '../../execute/run-incident.js';
import { SecretMasker, useRunSecrets } from '../../execute/secrets.js';
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
import { checkFromStep, checkSameRunbook, latestUnfinished, resumeStateFor } from './run-setup.js';
import { inquirerPrompter } from '../../interactive/prompter.js';
import { interactivePolicy } from '../../interactive/interactive-policy.js';
import { stopOptimizing } from '../stop-optimizing.js';

interface RunFlags {
  file?: string;
  resume?: string;
  from?: string;
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
    .argument('[incident]', 'incident id, e.g. INC-003 (not needed with --resume)')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--env <name>', 'environment whose variables to use (default: the first one defined)')
    .addOption(new Option('--mode <mode>', 'how to run').choices(['simulate', 'auto', 'interactive']).default('simulate'))
    .option('--var <key=value>', 'override a variable (repeatable)', collectVar, [])
    .option('--yes', 'auto mode: approve confirm steps and record manual steps as done')
    .option('--inject-failure <step>', 'simulate mode: make this step fail to show the on_failure/rollback path')
    .option('--resume <run-id>', 'continue a stopped run after its last finished step')
    .option('--from <step>', 'start at this step; earlier steps are recorded as skipped by the operator')
    .option('--json', 'print only the final report as JSON on stdout')
    .addOption(new Option('--renderer <name>', 'progress display').choices(['auto', 'plain', 'listr']).default('auto'))
    .action(async (incident: string | undefined, flags: RunFlags) => {
      process.exitCode = await runCommand(incident, flags);
    });
}

async function runCommand(incidentArg: string | undefined, flags: RunFlags): Promise<number> {
  let resume = flags.resume !== undefined ? resumeStateFor(flags.resume) : undefined;
  const incident = incidentArg ?? resume?.incidentId;
  if (incident === undefined) throw new UsageError('name an incident (drillbook run INC-003) or a run to continue (--resume RUN-ID)');
  if (resume && incident !== resume.incidentId) throw new UsageError(`run ${resume.runId} is for ${resume.incidentId}, not ${incident}`);
  const { runbook, file, text } = openRunbook(runbookPath(flags.file));
  const environment = resolveEnvironment(runbook, flags.env ?? resume?.environment, parseVarOptions(flags.var));
  const plan = buildPlan({ runbook, file, text, incidentId: incident, environment });
  checkFromStep(plan, flags.from);
  if (resume) checkSameRunbook(resume, plan);
  if (flags.mode === 'interactive' && !process.stdin.isTTY) {
    throw new UsageError('interactive mode needs a person at a terminal (stdin is not a TTY); nothing was run or approved. Use --mode auto --yes for unattended runs');
  }
  if (flags.injectFailure !== undefined) {
    if (flags.mode !== 'simulate') throw new UsageError('--inject-failure only applies to --mode simulate');
    if (!allSteps(plan).some((s) => s.id === flags.injectFailure)) throw new UsageError(`--inject-failure: ${incident} has no step "${flags.injectFailure}"`);
  }
  const operator = process.env.USER ?? safeUser();
  const masker = new SecretMasker(plan.secrets);
  useRunSecrets(masker);
  const variables = new RunVariables(environment.vars, plan.secrets);
  const prompter = flags.mode === 'interactive' ? inquirerPrompter() : undefined;
  if (prompter && !resume && flags.from === undefined) {
    const stopped = latestUnfinished(plan.incident.id);
    if (stopped && stopped.sha256 === plan.runbook.sha256 && (await prompter.yesNo(`Run ${stopped.runId} of ${plan.incident.id} stopped before it finished. Resume it?`, true))) resume = stopped;
  }
  const runId = resume?.runId ?? newRunId(plan.incident.id);
  const dir = join(runsDir(), runId);
  const journal = Journal.open(dir, masker, resume?.startedAtMs);
  // Interactive mode talks to the person through prompts; live Listr2 output would fight them.
  const progress = pickProgress(prompter ? { ...flags, renderer: 'plain' } : flags, masker, plan);
  journal.onEvent((e) => { progress.onEvent(e); });
  const announce = (s: { id: string }, t: string) => { progress.announce(s.id, masker.mask(t)); };
  const policy: ModePolicy = prompter
    ? interactivePolicy({ prompter, operator, vars: variables, mask: (t) => masker.mask(t) })
    : flags.mode === 'simulate'
      ? { ...simulatePolicy(flags.injectFailure), announce }
      : autoPolicy({ yes: flags.yes === true, operator, announce });

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
    stopOptimizing();
    const summary = await runIncident({ plan, policy, journal, runId, operator, signal: controller.signal, variables, ...(resume ? { resume } : {}), ...(flags.from ? { fromStep: flags.from } : {}) });
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
  return plainProgress(write, plan);
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
