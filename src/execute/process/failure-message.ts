import { statSync } from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { shellQuote } from '../../model/shell-quote.js';
import { runSecrets } from '../secrets.js';
import { messageOf } from '../../model/error-message.js';

/**
 * The message for a command that could not be started, worded as execa words it
 * ("Command failed with ENOENT: pg_ctl promote\nspawn pg_ctl ENOENT"), so journals and reports
 * read the same as before run-process.ts spawned directly. Secrets are masked before quoting and escaping,
 * which would otherwise write them in a form (a'\''b, \n) that no longer reads as the secret.
 */
export function spawnFailureMessage(
  file: string,
  args: string[],
  error: NodeJS.ErrnoException,
  cwd: string | undefined,
): string {
  const masker = runSecrets();
  const command = [file, ...args].map((part) => shellQuote(escapeControls(masker.mask(part)))).join(' ');
  const prefix = error.code !== undefined ? `Command failed with ${error.code}` : 'Command failed';
  const cause = escapeLines(masker.mask(cwdProblem(cwd, error.message)));
  return cause === '' ? `${prefix}: ${command}` : `${prefix}: ${command}\n${cause}`;
}

/** Node reports a missing working directory as the command missing; say which it is. */
function cwdProblem(cwd: string | undefined, message: string): string {
  if (cwd === undefined) return message;
  try {
    if (!statSync(cwd).isDirectory()) return `The "cwd" option is not a directory: ${cwd}.\n${message}`;
  } catch (error) {
    return `The "cwd" option is invalid: ${cwd}.\n${messageOf(error)}\n${message}`;
  }
  return message;
}

const SPECIAL = /\p{Separator}|\p{Other}/gu;
const COMMON: Record<string, string> = { ' ': ' ', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control characters and odd spaces as \\n, \\u00ad ... so that a message stays one readable line. */
function escapeControls(text: string): string {
  return text.replace(SPECIAL, (c) => {
    const code = c.codePointAt(0) ?? 0;
    return COMMON[c] ?? (code <= 0xffff ? `\\u${code.toString(16).padStart(4, '0')}` : `\\U${code.toString(16)}`);
  });
}

function escapeLines(text: string): string {
  return stripVTControlCharacters(text).split('\n').map(escapeControls).join('\n');
}
