import { formatDiagnostic, type Diagnostic } from './diagnostic.js';

/** Exit codes are a contract with scripts and CI (see docs/cli.md). */
export const EXIT = { ok: 0, failed: 1, usage: 2, breached: 3, interrupted: 130 } as const;

/** How a run that was stopped from outside exits: 128 + the signal's number, as shells report it. */
export const STOP_EXIT = { SIGHUP: 129, SIGINT: 130, SIGTERM: 143, outputClosed: 141 } as const;

/** A mistake in how drillbook was called: unknown incident, bad flag value. Exit 2. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly exitCode: number = EXIT.usage;
}

/** The runbook failed to load or validate; carries every problem found. Exit 2. */
export class InvalidRunbookError extends Error {
  override name = 'InvalidRunbookError';
  readonly exitCode: number = EXIT.usage;
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

/**
 * The machine, not the input and not a bug: a service that did not start, a full disk, a missing binary,
 * a folder another user cannot reach. The message names what failed; `where` names what to look at (a
 * log file, a folder, a command to install). Exit 1.
 */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
  readonly exitCode: number = EXIT.failed;
  constructor(
    message: string,
    readonly where?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** What a failing system call says to a person, for the codes that are about the machine rather than a bug. */
const SYSTEM_CAUSES: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files on this machine',
  ENOMEM: 'out of memory',
};

/** A Node system error about the machine (ENOSPC, EACCES, …) as an EnvironmentError naming the path; else undefined. */
export function environmentErrorFrom(error: unknown): EnvironmentError | undefined {
  if (error instanceof EnvironmentError) return error;
  const { code, path, syscall } = (error ?? {}) as { code?: unknown; path?: unknown; syscall?: unknown };
  const cause = typeof code === 'string' ? SYSTEM_CAUSES[code] : undefined;
  if (cause === undefined) return undefined;
  const what = typeof syscall === 'string' ? `${syscall} failed: ${cause}` : cause;
  return new EnvironmentError(`${what} (${String(code)})`, typeof path === 'string' ? path : undefined, {
    cause: error,
  });
}

/** The one-line form of an EnvironmentError, as the CLI prints it after "drillbook: ". */
export function describeEnvironmentError(error: EnvironmentError): string {
  return error.where === undefined ? error.message : `${error.message}; see ${error.where}`;
}
