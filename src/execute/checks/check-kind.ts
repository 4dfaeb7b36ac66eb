import type { CommandProbe, Expect } from '../../model/runbook.js';
import { shellLine } from '../../model/shell-quote.js';

/** What every probe receives: its deadline and the run's interrupt signal. */
export interface ProbeContext {
  deadlineMs: number;
  signal: AbortSignal;
}

/**
 * One check kind, one file (the registry dispatches by kind; no if/else chain). `describe` says in
 * words what is tested, the one description that run output, simulate, the responder's step card and
 * the rendered runbook all show (it touches nothing); `probe` measures and returns the fields that
 * `expect` and `capture` read. A probe throws ProbeError with a one-line reason when it cannot measure.
 */
export interface CheckKind<Options> {
  defaultExpect: Expect | undefined;
  describe(options: Options, words: Words): Described;
  probe(options: Options, ctx: ProbeContext): Promise<Record<string, unknown>>;
  /**
   * The kind's own verdict on what it measured, beside the runbook's `expect`: each condition its
   * options set (a file's max_age, a retention policy) that does not hold, as readable text.
   */
  judge?(options: Options, fields: Record<string, unknown>): string[];
  /** One line of what the probe found ("backup_X.dump.gz, 2h05m old, 1.2 MB, sha256 ok"), for output and reports. */
  detail?(options: Options, fields: Record<string, unknown>): string | undefined;
  /** Option problems the schema cannot see (a glob's syntax): the key at fault and a one-line message. */
  validate?(options: Options): OptionProblem[];
}

export interface OptionProblem {
  key: string;
  message: string;
  hint?: string;
}

/** What a probe tests, and what it expects when the runbook names no expectation. */
export interface Described {
  what: string;
  /** The default expectation in words ("exit code 0"); empty when the probe only measures. */
  defaults: string;
  /** What the kind's judge always requires, expect or not ("a backup in each of the last 7 days"). */
  always?: string;
}

/** How literal values are set in a description: plain for terminals and journals, code spans for documents. */
export interface Words {
  code(text: string): string;
  /** A command, as it could be typed into a shell. */
  command(run: CommandProbe['run']): string;
  /** A check's own name. */
  name(text: string): string;
}

export const plainWords: Words = {
  code: (text) => text,
  command: (run) => (typeof run === 'string' ? run : shellLine(run.map(String))),
  name: (text) => text,
};

export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Rejects after ms, so no client can wait forever; cleared when the work settles first. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      reject(new ProbeError(`${what}: no answer within ${ms} ms`));
    }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
