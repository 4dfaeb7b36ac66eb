import { join } from 'node:path';
import { userInfo } from 'node:os';
import { Option, type Command } from 'commander';
import { autoPolicy, simulatePolicy, type Mode, type ModePolicy } from '../../execute/mode-policy.js';
import { runIncident } from '../../execute/run-incident.js';
import { SecretMasker, useRunSecrets } from '../../execute/secrets.js';
import { RunVariables } from '../../execute/variables.js';
import { Journal } from '../../journal/journal.js';
import { runIdFor, runsDir } from '../../journal/run-store.js';
import { UsageError } from '../../model/errors.js';
import { buildPlan } from '../../plan/build-plan.js';
import type { Plan } from '../../plan/plan-types.js';
import { plainProgress } from '../../progress/plain.js';
import type { Progress } from '../../progress/progress.js';
import { silentProgress } from '../../progress/progress.js';
import type { Report } from '../../report/build-report.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { parseVarOptions } from '../var-options.js';
import { collectVar } from '../var-options.js';
import { checkFromStep, checkSameRunbook, modeFor, resumeOffer, resumeStateFor } from './run-setup.js';
import { preflight } from '../../execute/preflight.js';
import { planSteps } from '../../plan/plan-sections.js';
import { phaseStepsBefore } from '../../plan/steps-before.js';
import type { ResumeState } from '../../execute/resume.js';
import { writeOut } from '../output.js';
import { watchRunStops } from '../run-stop.js';
import { interactivePolicy } from '../../interactive/interactive-policy.js';
import { summaryText } from '../../report/summary-text.js';
import { parseRecordOptions, recordMetrics, stepsThatRan } from '../../execute/records.js';
import { renderTable } from '../table.js';
import { writeRunReports } from '../../report/run-reports.js';
import type { Prompter } from '../../interactive/prompter.js';
import { runOrigin } from '../../journal/origin.js';
import { childEnvironment } from '../../execute/process/child-env.js';
import { storeConfig, type StoreConfig } from '../../store/store-config.js';
import { approvalGateFor } from '../../execute/approvals/gate-for-run.js';
import type { ApprovalGate } from '../../execute/approvals/approval-gate.js';

interface RunFlags {
  file?: string;
  resume?: string;
  from?: string;
  env?: string;
  mode?: Mode;
  var: string[];
  yes?: boolean;
  injectFailure?: string;
  json?: boolean;
  renderer: 'auto' | 'plain' | 'listr';
  record: string[];
  reviewer?: string;
  store?: string;
}

export function registerRun(program: Command): void {
  program
    .command('run')
    .argument('[incident]', 'incident id, e.g. INC-003 (not needed with --resume)')
    .option(
      '-f, --file <file>',
      'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml); several with --all',
      collectVar,
      [],
    )
    .option(
      '--all',
      'simulate every incident of the runbook(s): one summary table, one JUnit file, the worst exit code',
    )
    .option('--junit <file>', 'with --all: where to write the JUnit file (default: $DRILLBOOK_HOME/run-all.junit.xml)')
    .option('--env <name>', 'environment whose variables to use (default: the first one defined)')
    .addOption(
      new Option('--mode <mode>', 'how to run (default: simulate; a resumed run keeps its own mode)').choices([
        'simulate',
        'auto',
        'interactive',
      ]),
    )
    .option('--var <key=value>', 'override a variable (repeatable)', collectVar, [])
    .option('--yes', 'auto mode: approve confirm steps and record manual steps as done')
    .option('--inject-failure <step>', 'simulate mode: make this step fail to show the on_failure/rollback path')
    .option(
      '--resume <run-id>',
      'continue a stopped run after its last finished step (an id, a unique prefix, or "latest")',
    )
    .option('--from <step>', 'start at this step; earlier steps are recorded as skipped by the operator')
    .option(
      '--record <step.name=value>',
      'a metric the step records (its record: list), e.g. promote.failover-duration=42s (repeatable)',
      collectVar,
      [],
    )
    .option('--reviewer <name>', "who reviews this run (the test documentation's Reviewer column)")
    .option(
      '--store <url>',
      'also ship the run to this PostgreSQL store (default: $DRILLBOOK_STORE; simulations are not shipped by run)',
    )
    .option('--json', 'print only the final report as JSON on stdout')
    .addOption(new Option('--renderer <name>', 'progress display').choices(['auto', 'plain', 'listr']).default('auto'))
    .action(runAction);
}

type RunOptions = Omit<RunFlags, 'file'> & { file: string[]; all?: boolean; junit?: string };

async function runAction(incident: string | undefined, { file: files, all, junit, ...flags }: RunOptions) {
  process.exitCode =
    all === true || files.length > 1
      ? await (
          await import('./run-all.js')
        ).runAll(incident, { ...flags, files, ...(junit !== undefined ? { junit } : {}) })
      : await runCommand(incident, { ...flags, ...(files[0] !== undefined ? { file: files[0] } : {}) });
}

/** Everything a run needs, settled before its first step: a problem found here runs nothing. */
interface Prepared {
  plan: Plan;
  mode: Mode;
  variables: RunVariables;
  resume: ResumeState | undefined;
  records: ReturnType<typeof parseRecordOptions>;
}

async function runCommand(incidentArg: string | undefined, flags: RunFlags): Promise<number> {
  const prepared = await prepare(incidentArg, flags);
  const { plan, mode, variables } = prepared;
  const operator = process.env.USER ?? safeUser();
  const masker = new SecretMasker(plan.secrets);
  useRunSecrets(masker);
  // A store URL that cannot be one stops the run before its journal exists; simulations never read it.
  const store = mode === 'simulate' ? undefined : storeConfig(flags.store);
  const runId = prepared.resume?.runId ?? runIdFor(plan.incident.id);
  const dir = join(runsDir(), runId);
  const journal = Journal.open(dir, masker, prepared.resume?.startedAtMs);
  const controller = new AbortController();
  const display = await openDisplay(mode, flags, masker, plan, controller.signal);
  journal.onEvent((e) => {
    display.progress.onEvent(e);
  });
  const shipper = store ? await startShipping(store, runId, journal, display.say) : undefined;
  const policy = policyFor(mode, flags, display, { operator, variables, masker });
  // A real run asks a step's approval of the store it ships to, or of its own folder; a simulation asks nobody.
  const gate = { plan, runId, dir, operator, journal, variables, store, masker };
  const approvals = mode === 'simulate' ? undefined : approvalGateFor(gate);
  const stopWatching = watchRunStops(controller);
  let exitCode: number;
  let shipped: Promise<void> | undefined;
  try {
    exitCode = await walkAndRecord(
      prepared,
      flags,
      { policy, journal, runId, operator, signal: controller.signal, ...(approvals ? { approvals } : {}) },
      display,
    );
  } finally {
    stopWatching();
    await approvals?.close();
    journal.close();
    await display.progress.close();
    // The last batch goes while the report is written and printed; the run waits for it only at the end.
    shipped = shipper?.finish();
  }
  process.exitCode = exitCode;
  const report = writeRunReports(dir, journal.path);
  if (flags.json) writeOut(`${JSON.stringify(report, null, 2)}\n`);
  else writeOut(`\n${timelineSummary(report)}\nreport: ${join(dir, 'report.md')}\n`);
  await shipped;
  return exitCode;
}

/** How the run shows itself: prompts for a person (the run's lines above them), or a live view or plain lines. */
interface Display {
  prompter: Prompter | undefined;
  progress: Progress;
  /** A line of drillbook's own (the store is behind): above an open prompt too, never over it. */
  say: (line: string) => void;
}

async function openDisplay(
  mode: Mode,
  flags: RunFlags,
  masker: SecretMasker,
  plan: Plan,
  stop: AbortSignal,
): Promise<Display> {
  // Listr2 and the prompts are loaded only by the runs that show them: a plain or --json run forks its steps from a
  // smaller process (about 4 MB less, 0.1-0.2 ms less per step).
  const prompter =
    mode === 'interactive' ? (await import('../../interactive/prompter.js')).inquirerPrompter({ stop }) : undefined;
  if (prompter) {
    const notice = (line: string) => {
      prompter.notice(masker.mask(line));
    };
    return { prompter, progress: plainProgress(notice, plan), say: notice };
  }
  return {
    prompter,
    progress: await pickProgress(flags, masker, plan),
    say: (line) => process.stderr.write(`${masker.mask(line)}\n`),
  };
}

function policyFor(
  mode: Mode,
  flags: RunFlags,
  { prompter, progress }: Display,
  run: { operator: string; variables: RunVariables; masker: SecretMasker },
): ModePolicy {
  const announce = (s: { id: string }, t: string) => {
    progress.announce(s.id, run.masker.mask(t));
  };
  if (prompter)
    return interactivePolicy({
      prompter,
      operator: run.operator,
      vars: run.variables,
      mask: (t) => run.masker.mask(t),
    });
  if (mode === 'simulate') return { ...simulatePolicy(flags.injectFailure), announce };
  return autoPolicy({ yes: flags.yes === true, operator: run.operator, announce });
}

/** The walk, then the metrics the run records (asked for in interactive mode), unless the run was stopped. */
async function walkAndRecord(
  { plan, variables, resume, records }: Prepared,
  flags: RunFlags,
  run: {
    policy: ModePolicy;
    journal: Journal;
    runId: string;
    operator: string;
    signal: AbortSignal;
    approvals?: ApprovalGate;
  },
  { prompter }: Display,
): Promise<number> {
  const summary = await runIncident({
    plan,
    policy: run.policy,
    journal: run.journal,
    runId: run.runId,
    operator: run.operator,
    signal: run.signal,
    variables,
    origin: runOrigin(),
    ...(run.approvals ? { approvals: run.approvals } : {}),
    ...(resume ? { resume } : {}),
    ...(flags.from ? { fromStep: flags.from } : {}),
  });
  if (!run.signal.aborted) {
    await recordMetrics({
      plan,
      journal: run.journal,
      given: records,
      by: run.operator,
      ran: stepsThatRan(run.journal.path),
      ...(flags.reviewer !== undefined ? { reviewer: flags.reviewer } : {}),
      ...(prompter ? { prompter } : {}),
    });
  }
  return summary.exitCode;
}

async function prepare(incidentArg: string | undefined, flags: RunFlags): Promise<Prepared> {
  let resume = flags.resume !== undefined ? resumeStateFor(flags.resume) : undefined;
  const incident = incidentArg ?? resume?.incidentId;
  if (incident === undefined)
    throw new UsageError('name an incident (drillbook run INC-003) or a run to continue (--resume RUN-ID)');
  if (resume && incident !== resume.incidentId)
    throw new UsageError(`run ${resume.runId} is for ${resume.incidentId}, not ${incident}`);
  const { runbook, file, text } = openRunbook(runbookPath(flags.file));
  const environment = resolveEnvironment(runbook, flags.env ?? resume?.environment, parseVarOptions(flags.var));
  const plan = buildPlan({ runbook, file, text, incidentId: incident, environment });
  checkFromStep(plan, flags.from);
  const records = parseRecordOptions(flags.record, plan);
  if (resume) checkSameRunbook(resume, plan);
  const mode = modeFor(flags.mode, resume);
  if (mode === 'interactive' && !process.stdin.isTTY) {
    throw new UsageError(
      'interactive mode needs a person at a terminal (stdin is not a TTY); nothing was run or approved. Use --mode auto --yes for unattended runs',
    );
  }
  if (flags.injectFailure !== undefined) {
    if (mode !== 'simulate') throw new UsageError('--inject-failure only applies to --mode simulate');
    if (!planSteps(plan).some((s) => s.id === flags.injectFailure))
      throw new UsageError(`--inject-failure: ${incident} has no step "${flags.injectFailure}"`);
  }
  if (mode === 'interactive' && !resume && flags.from === undefined) resume = await offerResume(plan);
  const variables = RunVariables.forPlan(plan, { executes: mode !== 'simulate' });
  for (const [name, value] of resume?.captured ?? []) variables.captured.set(name, value);
  const notWalked = new Set([
    ...(resume?.completed.keys() ?? []),
    ...(flags.from ? phaseStepsBefore(plan, flags.from) : []),
  ]);
  const problems = preflight({ plan, mode, yes: flags.yes === true, vars: variables, notWalked });
  if (problems.length > 0) throw new UsageError(`${problems.join('; ')} (nothing was run)`);
  return { plan, mode, variables, resume, records };
}

/** Interactive start: a stopped run of this incident is offered, with its age; stale or superseded runs default to a fresh start. */
async function offerResume(plan: Plan): Promise<ResumeState | undefined> {
  const offer = resumeOffer(plan);
  if (!offer) return undefined;
  const choices = [
    { value: 'resume' as const, name: `Resume ${offer.state.runId}` },
    { value: 'fresh' as const, name: 'Start a fresh run' },
  ];
  const { inquirerPrompter } = await import('../../interactive/prompter.js');
  const answer = await inquirerPrompter().choose(offer.question, offer.resumeByDefault ? choices : choices.reverse());
  return answer === 'resume' ? offer.state : undefined;
}

/** Live Listr2 progress on a terminal; one line per event in pipes, CI and with --renderer plain. */
async function pickProgress(flags: RunFlags, masker: SecretMasker, plan: Plan): Promise<Progress> {
  if (flags.json) return silentProgress;
  const write = (line: string) => {
    writeOut(`${masker.mask(line)}\n`);
  };
  if (flags.renderer === 'listr' || (flags.renderer === 'auto' && process.stdout.isTTY))
    return (await import('../../progress/listr.js')).listrProgress(plan, write);
  return plainProgress(write, plan);
}

/**
 * With a store configured (--store, $DRILLBOOK_STORE), every durable journal line also goes down a pipe to
 * the shipper's own process (src/store/ship-child.ts), which batches it into PostgreSQL. Simulations never
 * get here: they start no process and open no connection.
 */
async function startShipping(config: StoreConfig, runId: string, journal: Journal, say: (line: string) => void) {
  const { startShippingProcess } = await import('../../store/shipping-process.js');
  const shipper = startShippingProcess({
    config,
    env: childEnvironment({ DRILLBOOK_STORE: config.url }),
    runId,
    journalPath: journal.path,
    say,
  });
  journal.onDurable((_event, seq, line) => {
    shipper.add(seq, line);
  });
  return shipper;
}

function timelineSummary(report: Report): string {
  return summaryText(report, renderTable);
}

function safeUser(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
