/**
 * Quotes one argument so that a POSIX shell reads it back as exactly that one argument: shown commands
 * can be copied and run by hand. Plain words stay bare; anything else is single-quoted.
 */
export function shellQuote(arg: string): string {
  return arg !== '' && /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** A command line from an argument list, each argument quoted. */
export function shellLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
