import { Command, CommanderError } from 'commander';
import { JournalError } from '../journal/journal-error.js';
import {
  describeEnvironmentError,
  environmentErrorFrom,
  EXIT,
  InvalidRunbookError,
  UsageError,
} from '../model/errors.js';
import { guardOutput } from './output.js';
import { messageOf } from '../model/error-message.js';
import { drillbookVersion } from '../model/version.js';

// A closed pipe (drillbook ... | head) ends output quietly, not with a stack trace; a run stops cleanly.
guardOutput();

const program = new Command('drillbook')
  .description('Declarative disaster-recovery runbooks: validate, plan, run, drill and render them.')
  .version(drillbookVersion)
  .exitOverride()
  .configureOutput({
    outputError: (text, write) => {
      write(text);
    },
  });

interface CommandEntry {
  /** Its arguments, as the command list shows them. */
  usage: string;
  description: string;
  load: () => Promise<(program: Command) => void>;
}

/**
 * Each command's module is imported only when that command runs, so `drillbook validate` never
 * loads the executor, Listr2, prompts, clients or renderers, and `drillbook --help` loads none of
 * them: the list it prints comes from this table, the one place a command's description is written.
 * A new command is one more entry here.
 */
const COMMANDS: Record<string, CommandEntry> = {
  validate: {
    usage: '[files...]',
    description: 'check runbooks against the schema and the semantic rules; every problem as FILE:LINE:COL',
    load: async () => (await import('./commands/validate.js')).registerValidate,
  },
  list: {
    usage: '',
    description: 'list the incidents of a runbook with severity, RTO, RPO, phases and steps',
    load: async () => (await import('./commands/list.js')).registerList,
  },
  plan: {
    usage: '<incident>',
    description: 'show the plan one incident would walk: phases, steps, budgets, resolved variables',
    load: async () => (await import('./commands/plan.js')).registerPlan,
  },
  run: {
    usage: '[incident]',
    description: 'run one incident: simulate (nothing executed), auto (every step executed) or interactive',
    load: async () => (await import('./commands/run.js')).registerRun,
  },
  lab: {
    usage: '',
    description:
      "a disposable copy of THE_BOT's estate on loopback, to drill recoveries for real (lab up|status|down|break)",
    load: async () => (await import('./commands/lab.js')).registerLab,
  },
  drill: {
    usage: '[incidents...]',
    description: 'for each incident: lab up, break, recover with the runbook in auto mode, verify data, report',
    load: async () => (await import('./commands/drill.js')).registerDrill,
  },
  render: {
    usage: '',
    description: 'render the runbook as Markdown, checklists, HTML handouts and tabletop facilitator guides',
    load: async () => (await import('./commands/render.js')).registerRender,
  },
  report: {
    usage: '[run-id]',
    description: 'print the report of a past run, rebuilt from its journal ($DRILLBOOK_HOME/runs)',
    load: async () => (await import('./commands/report.js')).registerReport,
  },
  history: {
    usage: '',
    description:
      'past runs per runbook and incident: success (recovered within target), time to recover, RTO compliance, trend; --check for cron and CI',
    load: async () => (await import('./commands/history.js')).registerHistory,
  },
  runs: {
    usage: '',
    description: 'list past runs (from the store when one is configured, else the local journals), with filters',
    load: async () => (await import('./commands/runs.js')).registerRuns,
  },
  sync: {
    usage: '',
    description: 'ship every local run journal the store does not hold whole ($DRILLBOOK_STORE or --store)',
    load: async () => (await import('./commands/store.js')).registerSync,
  },
  store: {
    usage: 'migrate',
    description: "the team run store on PostgreSQL: store migrate brings its schema to this drillbook's version",
    load: async () => (await import('./commands/store.js')).registerStore,
  },
  serve: {
    usage: '',
    description:
      'the DR testing service: HTTP API (OpenAPI at /openapi.json), bearer tokens, runs queued on PostgreSQL, an embedded worker',
    load: async () => (await import('./commands/serve.js')).registerServe,
  },
  worker: {
    usage: '',
    description: "take queued service runs from the store's queue and run them (any number, on any host)",
    load: async () => (await import('./commands/serve.js')).registerWorker,
  },
  approve: {
    usage: '<run> <step>',
    description: "grant (or --deny) a step waiting for a second person's approval; never the run's starter",
    load: async () => (await import('./commands/approve.js')).registerApprove,
  },
  token: {
    usage: 'create|list|revoke',
    description:
      'API tokens for drillbook serve: token create --role viewer|runner|approver|admin --name N, token list, token revoke NAME|ID',
    load: async () => (await import('./commands/token.js')).registerToken,
  },
};

const named = commandNamed(process.argv.slice(2));
if (named) {
  (await COMMANDS[named]?.load())?.(program);
  program.commands.at(-1)?.description(COMMANDS[named]?.description ?? '');
} else {
  // Help, no command, or a mistyped one: the list (and commander's did-you-mean) from the table alone.
  for (const [name, entry] of Object.entries(COMMANDS))
    program.command(`${name} ${entry.usage}`.trim()).description(entry.description);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** The command a run names (its module is loaded), or none for help, --version and mistakes. */
function commandNamed(args: string[]): string | undefined {
  const words = args.filter((a) => !a.startsWith('-'));
  // `drillbook help run` shows run's own help, options included.
  const first = words[0] === 'help' ? words[1] : words[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? first : undefined;
}

/** The one place errors become messages and exit codes; users never see a stack trace. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.version' ||
      error.code === 'commander.help'
      ? EXIT.ok
      : EXIT.usage;
  }
  if (error instanceof InvalidRunbookError) {
    process.stderr.write(`${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof JournalError) {
    process.stderr.write(`drillbook: ${error.message}\n`);
    return error.exitCode;
  }
  if (error instanceof UsageError) {
    process.stderr.write(`drillbook: ${error.message}\n`);
    return error.exitCode;
  }
  const environment = environmentErrorFrom(error);
  if (environment) {
    process.stderr.write(`drillbook: ${describeEnvironmentError(environment)}\n`);
    return environment.exitCode;
  }
  const message = messageOf(error);
  process.stderr.write(`drillbook: internal error: ${message}\n`);
  return EXIT.failed;
}
