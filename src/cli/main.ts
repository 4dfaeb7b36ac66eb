import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { describeEnvironmentError, environmentErrorFrom, EXIT, InvalidRunbookError, UsageError } from '../model/errors.js';

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

// A closed pipe (drillbook ... | head) ends output quietly, not with a stack trace.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

const program = new Command('drillbook')
  .description('Declarative disaster-recovery runbooks: validate, plan, run, drill and render them.')
  .version(version)
  .exitOverride()
  .configureOutput({ outputError: (text, write) => { write(text); } });

/**
 * Each command's module is imported only when that command runs, so `drillbook validate` never
 * loads the executor, Listr2, prompts, clients or renderers. A new command is one more line here.
 */
const COMMANDS: Record<string, () => Promise<(program: Command) => void>> = {
  validate: async () => (await import('./commands/validate.js')).registerValidate,
  list: async () => (await import('./commands/list.js')).registerList,
  plan: async () => (await import('./commands/plan.js')).registerPlan,
  run: async () => (await import('./commands/run.js')).registerRun,
  lab: async () => (await import('./commands/lab.js')).registerLab,
  drill: async () => (await import('./commands/drill.js')).registerDrill,
  render: async () => (await import('./commands/render.js')).registerRender,
  report: async () => (await import('./commands/report.js')).registerReport,
  history: async () => (await import('./commands/history.js')).registerHistory,
};

for (const name of commandsFor(process.argv.slice(2))) {
  const register = await COMMANDS[name]?.();
  register?.(program);
}

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
}

/** The commands to register: the one named, none for --version, all for help and mistakes. */
function commandsFor(args: string[]): string[] {
  const first = args.find((a) => !a.startsWith('-'));
  if (first !== undefined && Object.hasOwn(COMMANDS, first)) return [first];
  if (first === undefined && args.length > 0 && args.every((a) => a === '--version' || a === '-V')) return [];
  return Object.keys(COMMANDS);
}

/** The one place errors become messages and exit codes; users never see a stack trace. */
function exitCodeFor(error: unknown): number {
  if (error instanceof CommanderError) {
    return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help' ? EXIT.ok : EXIT.usage;
  }
  if (error instanceof InvalidRunbookError) {
    process.stderr.write(`${error.message}\n`);
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
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`drillbook: internal error: ${message}\n`);
  return EXIT.failed;
}
