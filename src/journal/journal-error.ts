import { EXIT } from '../model/errors.js';

/** A journal that cannot be opened, read or written; says what failed and carries the exit code. */
export class JournalError extends Error {
  override name = 'JournalError';
  readonly exitCode: number;

  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause !== undefined ? { cause: options.cause } : undefined);
    this.exitCode = options.exitCode ?? EXIT.failed;
  }
}
