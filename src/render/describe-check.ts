import type { CheckSpec, CommandProbe } from '../model/runbook.js';
import { shellQuote } from '../model/shell-quote.js';
import type { Words } from '../execute/checks/check-kind.js';
import { describeCheck as describeIn } from '../execute/checks/describe.js';
import { code, inline } from './markdown/text.js';

/** Values as documents set them: code spans, so hosts and SQL read exactly as written. */
const MARKDOWN_WORDS: Words = {
  code,
  command: commandText,
  name: (text) => `**${inline(text)}**`,
};

/** A check in words, for documents: the kind's own description (src/execute/checks), set as Markdown. */
export function describeCheck(spec: CheckSpec): string {
  return describeIn(spec, MARKDOWN_WORDS);
}

export function commandText(run: CommandProbe['run']): string {
  return code(typeof run === 'string' ? run : run.map((a) => quoteArg(String(a))).join(' '));
}

/** Shell quoting for documents: a whole `{{ template }}` argument stays readable as written. */
export function quoteArg(arg: string): string {
  return /^\{\{[^}]*\}\}$/.test(arg) ? arg : shellQuote(arg);
}
