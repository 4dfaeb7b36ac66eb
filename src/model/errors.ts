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
