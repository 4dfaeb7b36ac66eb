import type { Expect } from '../../model/runbook.js';

/** What every probe receives: its deadline and the run's interrupt signal. */
export interface ProbeContext {
  deadlineMs: number;
  signal: AbortSignal;
}

/**
 * One check kind, one file (the registry dispatches by kind; no if/else chain): `describe` says in words what would be tested (simulate and
 * docs use it, it must not touch anything); `probe` measures and returns the fields that `expect`
 * and `capture` read. A probe throws ProbeError with a one-line reason when it cannot measure.
 */
export interface CheckKind<Options> {
  defaultExpect: Expect | undefined;
  describe(options: Options): string;
  probe(options: Options, ctx: ProbeContext): Promise<Record<string, unknown>>;
}

export class ProbeError extends Error {
  override name = 'ProbeError';
}

/** Rejects after ms, so no client can wait forever; cleared when the work settles first. */
export async function withDeadline<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => { reject(new ProbeError(`${what}: no answer within ${ms} ms`)); }, ms);
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}
