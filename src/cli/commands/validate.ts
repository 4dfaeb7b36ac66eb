import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { formatDiagnostic } from '../../model/diagnostic.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { validateFileCached } from '../../validate/validation-cache.js';

export function registerValidate(program: Command): void {
  program
    .command('validate')
    .argument('[files...]', 'runbook files (default: every playbooks/*.yaml)')
    .option('--json', 'print the result as JSON')
    .action((files: string[], options: { json?: boolean }) => {
      const targets = files.length > 0 ? files : defaultPlaybooks();
      if (targets.length === 0) {
        throw new UsageError(
          `nothing to validate: no runbook files given and no *.yaml in ${resolve('playbooks')}; name them: drillbook validate FILE...`,
        );
      }
      const results = targets.map((file) => ({ file, result: validateFileCached(file) }));
      if (options.json) {
        const out = results.map(({ file, result }) => ({
          file,
          ok: result.ok,
          errors: result.ok ? [] : result.errors,
        }));
        process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
      } else {
        for (const { file, result } of results) {
          if (result.ok) {
            const incidents = result.runbook.incidents;
            const steps = incidents.reduce((n, inc) => n + inc.phases.reduce((m, p) => m + p.steps.length, 0), 0);
            process.stdout.write(`ok ${file}: ${plural(incidents.length, 'incident')}, ${plural(steps, 'step')}\n`);
          } else {
            for (const d of result.errors) process.stderr.write(`${formatDiagnostic(d)}\n`);
            process.stderr.write(
              `invalid ${file}: ${result.errors.length} problem${result.errors.length === 1 ? '' : 's'}\n`,
            );
          }
        }
      }
      process.exitCode = results.every((r) => r.result.ok) ? EXIT.ok : EXIT.usage;
    });
}

function defaultPlaybooks(): string[] {
  const dir = 'playbooks';
  try {
    return readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
