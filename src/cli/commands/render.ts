import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { EXIT, UsageError } from '../../model/errors.js';
import { diffOutput, writeOutput } from '../../render/output-folder.js';
import { RENDER_FORMATS, renderDocuments, type RenderFormat } from '../../render/render-documents.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { messageOf, codeOf } from '../../model/error-message.js';

interface RenderFlags {
  file?: string;
  format?: RenderFormat;
  incident?: string;
  out?: string;
  check?: boolean;
  env?: string;
}

export function registerRender(program: Command): void {
  program
    .command('render')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .addOption(
      new Option('--format <format>', 'what to render (default: markdown on stdout; every format with --out)').choices(
        RENDER_FORMATS,
      ),
    )
    .option('--incident <id>', 'only this incident')
    .option('--out <dir>', 'write files into this folder instead of printing')
    .option('--check', 'with --out: write nothing, exit 1 if any file differs from what the runbook renders')
    .option('--env <name>', 'environment whose values fill the commands (default: the first one defined)')
    .action((flags: RenderFlags) => {
      process.exitCode = renderCommand(flags);
    });
}

function renderCommand(flags: RenderFlags): number {
  if (flags.check && flags.out === undefined)
    throw new UsageError('--check compares rendered files with a folder: give it with --out DIR');
  const { runbook, file, text } = openRunbook(runbookPath(flags.file));
  const environment = resolveEnvironment(runbook, flags.env);
  const input = { runbook, file, text, environment };

  if (flags.out === undefined) {
    const format = flags.format ?? 'markdown';
    // HTML is one page per document; on stdout that is the runbook (use --out for all of them).
    const files = renderDocuments(input, [format], flags.incident).filter((f, i) => format !== 'html' || i === 0);
    process.stdout.write(files.map((f) => f.content).join(format === 'tabletop' ? '\n---\n\n' : ''));
    return EXIT.ok;
  }

  if (existsSync(flags.out) && !statSync(flags.out).isDirectory())
    throw new UsageError(`--out ${flags.out} is a file; give a folder`);
  const out = flags.out;
  const formats = flags.format ? [flags.format] : RENDER_FORMATS;
  const files = renderDocuments(input, formats, flags.incident);
  const everything = flags.format === undefined && flags.incident === undefined;
  const diff = diffOutput(flags.out, files, everything);
  const show = (name: string) => join(out, name);
  if (flags.check) {
    const problems = [
      ...diff.changed.map((n) => `differs: ${show(n)}`),
      ...diff.missing.map((n) => `missing: ${show(n)}`),
      ...diff.stale.map((n) => `stale: ${show(n)} (no longer rendered from ${file})`),
    ];
    if (problems.length === 0) {
      process.stdout.write(`ok: ${files.length} files in ${flags.out} match ${file}\n`);
      return EXIT.ok;
    }
    process.stderr.write(
      `${problems.join('\n')}\n${problems.length} of ${files.length + diff.stale.length} files out of date; run: drillbook render${flags.file ? ` -f ${file}` : ''} --out ${flags.out}${flags.format ? ` --format ${flags.format}` : ''}\n`,
    );
    return EXIT.failed;
  }
  try {
    writeOutput(flags.out, files, diff);
  } catch (error) {
    throw new UsageError(`cannot write to ${flags.out}: ${codeOf(error) ?? messageOf(error)}`);
  }
  for (const name of [...diff.missing, ...diff.changed]) process.stdout.write(`wrote ${show(name)}\n`);
  for (const name of diff.stale) process.stdout.write(`removed ${show(name)}\n`);
  process.stdout.write(
    `${files.length} files in ${flags.out}: ${diff.missing.length + diff.changed.length} written, ${diff.unchanged.length} unchanged${diff.stale.length ? `, ${diff.stale.length} removed` : ''}\n`,
  );
  return EXIT.ok;
}
