import { checkKind, type CheckSpec, type Expect } from '../../model/runbook.js';
import { durationMs } from '../../model/duration.js';
import { ProbeError } from './check-kind.js';
import { checkSubject } from './describe.js';
import { unmetExpectations } from './expect.js';
import { CHECK_KINDS } from './kinds.js';
import { messageOf } from '../../model/error-message.js';

export const DEFAULT_CHECK_DEADLINE_MS = 10_000;

export interface CheckOutcome {
  ok: boolean;
  description: string;
  fields: Record<string, unknown>;
  /** The kind's one-line account of what it found, when it gives one. */
  detail?: string;
  error?: string;
}

/**
 * Probes once and tests the expectations; never throws for a failed probe. `capMs` (what is left of a step's
 * timeout) shortens the check's own deadline; when `signal` aborts, the outcome is a failure at once.
 */
export async function runCheck(spec: CheckSpec, signal: AbortSignal, capMs?: number): Promise<CheckOutcome> {
  const kind = checkKind(spec);
  const options = spec[kind] as { expect?: Expect };
  const impl = CHECK_KINDS[kind];
  const description = checkSubject(spec);
  const ownMs = spec.timeout ? durationMs(spec.timeout) : DEFAULT_CHECK_DEADLINE_MS;
  const deadlineMs = capMs === undefined ? ownMs : Math.max(1, Math.ceil(Math.min(ownMs, capMs)));
  let fields: Record<string, unknown>;
  try {
    fields = await untilAborted(impl.probe(options, { deadlineMs, signal }), signal);
  } catch (error) {
    return { ok: false, description, fields: {}, error: `${description}: ${messageOf(error)}` };
  }
  const expect = options.expect ?? impl.defaultExpect;
  const unmet = [...(impl.judge?.(options, fields) ?? []), ...(expect ? unmetExpectations(expect, fields) : [])];
  const detail = impl.detail?.(options, fields);
  const found = { description, fields, ...(detail ? { detail } : {}) };
  return unmet.length === 0
    ? { ok: true, ...found }
    : { ok: false, ...found, error: `${description}: ${unmet.join('; ')}` };
}

/** The probe's result, or a ProbeError as soon as the signal aborts (the probe then ends by its own deadline). */
function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new ProbeError('stopped before it began'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      reject(
        new ProbeError(
          signal.reason instanceof DOMException && signal.reason.name === 'TimeoutError'
            ? "stopped at the step's timeout"
            : 'interrupted',
        ),
      );
    };
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => {
      signal.removeEventListener('abort', onAbort);
    });
  });
}
