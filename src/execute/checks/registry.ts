import { checkKind, type CheckKindName, type CheckSpec, type Expect } from '../../model/runbook.js';
import { durationMs } from '../../model/duration.js';
import type { CheckKind } from './check-kind.js';
import { unmetExpectations } from './expect.js';

/* eslint-disable @typescript-eslint/no-explicit-any -- each kind narrows its own options type */
/** Kinds load on first use: validating and simulating never import a database client. */
const KINDS: Record<CheckKindName, () => Promise<CheckKind<any>>> = {
  command: async () => (await import('./command.js')).commandCheck,
  http: async () => (await import('./http.js')).httpCheck,
  tcp: async () => (await import('./tcp.js')).tcpCheck,
  postgres: async () => (await import('./postgres.js')).postgresCheck,
  redis: async () => (await import('./redis.js')).redisCheck,
  s3: async () => (await import('./s3.js')).s3Check,
};
/* eslint-enable @typescript-eslint/no-explicit-any */

export const DEFAULT_CHECK_DEADLINE_MS = 10_000;

export interface CheckOutcome {
  ok: boolean;
  description: string;
  fields: Record<string, unknown>;
  error?: string;
}

export async function describeCheck(spec: CheckSpec): Promise<string> {
  const kind = checkKind(spec);
  return spec.name ?? (await KINDS[kind]()).describe(spec[kind]);
}

/** Probes once and tests the expectations; never throws for a failed probe. */
export async function runCheck(spec: CheckSpec, signal: AbortSignal): Promise<CheckOutcome> {
  const kind = checkKind(spec);
  const options = spec[kind] as { expect?: Expect };
  const impl = await KINDS[kind]();
  const description = spec.name ?? impl.describe(options);
  const deadlineMs = spec.timeout ? durationMs(spec.timeout) : DEFAULT_CHECK_DEADLINE_MS;
  let fields: Record<string, unknown>;
  try {
    fields = await impl.probe(options, { deadlineMs, signal });
  } catch (error) {
    return { ok: false, description, fields: {}, error: `${description}: ${error instanceof Error ? error.message : String(error)}` };
  }
  const expect = options.expect ?? impl.defaultExpect;
  const unmet = expect ? unmetExpectations(expect, fields) : [];
  return unmet.length === 0 ? { ok: true, description, fields } : { ok: false, description, fields, error: `${description}: ${unmet.join('; ')}` };
}
