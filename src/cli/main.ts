import { readFileSync } from 'node:fs';
import { Command, CommanderError } from 'commander';
import { EXIT, InvalidRunbookError, UsageError } from '../model/errors.js';
import { registerDrill } from './commands/drill.js';
import { registerLab } from './commands/lab.js';
import { registerList } from './commands/list.js';
import { registerPlan } from './commands/plan.js';
import { registerRun } from './commands/run.js';
import { registerValidate } from './commands/validate.js';

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

registerValidate(program);
registerList(program);
registerPlan(program);
registerRun(program);
registerLab(program);
registerDrill(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  process.exitCode = exitCodeFor(error);
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
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`drillbook: internal error: ${message}\n`);
  return EXIT.failed;
}
