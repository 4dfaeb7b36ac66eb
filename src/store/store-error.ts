import { EnvironmentError, UsageError } from '../model/errors.js';
import { codeOf, messageOf } from '../model/error-message.js';
import { hidePassword, type StoreConfig } from './store-config.js';

/** The store cannot be used: unreachable, refused credentials, no such database, a newer schema. Exit 1. */
export class StoreError extends EnvironmentError {
  override name = 'StoreError';
}

/** PostgreSQL's SQLSTATEs for what a person can fix, in their words. */
const SQLSTATE: Record<string, (c: StoreConfig, db: string, user: string) => string> = {
  '28P01': (c, _db, user) =>
    `the store refused the credentials of user "${user}" (${c.shown}): check the user and password`,
  '28000': (c, _db, user) => `the store refused user "${user}" (${c.shown}): no pg_hba.conf entry lets it in`,
  '3D000': (c, db) => `the store's database "${db}" does not exist (${c.shown}): create it (createdb ${db}) first`,
};

const UNREACHABLE = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'ECONNRESET',
]);

/** A driver or network error as one line naming the store (password masked) and what to do. */
export function describeStoreFailure(config: StoreConfig, error: unknown): string {
  const url = new URL(config.url);
  const db = decodeURIComponent(url.pathname.slice(1));
  const user = decodeURIComponent(url.username) || 'default';
  const state = (error as { code?: unknown } | null)?.code;
  const known = typeof state === 'string' ? SQLSTATE[state] : undefined;
  if (known) return known(config, db, user);
  const code = codeOf(error) ?? (typeof state === 'string' ? state : undefined);
  const message = messageOf(error);
  if ((code !== undefined && UNREACHABLE.has(code)) || /timeout|terminated unexpectedly/i.test(message))
    return `the store is unreachable at ${url.host || 'localhost'} (${code ?? message}); ${config.shown}`;
  return `the store failed (${config.shown}): ${hidePassword(config, message)}`;
}

/** A failure as a StoreError; drillbook's own errors (a usage mistake, a StoreError already) pass unchanged. */
export function storeErrorFrom(config: StoreConfig, error: unknown): Error {
  if (error instanceof EnvironmentError || error instanceof UsageError) return error;
  return new StoreError(describeStoreFailure(config, error), undefined, { cause: error });
}
