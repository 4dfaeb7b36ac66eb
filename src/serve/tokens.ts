import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { StoreClient } from '../store/connect.js';

export const ROLES = ['viewer', 'runner', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who called: the token's name and role (never the token). */
export interface Caller {
  name: string;
  role: Role;
}

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** A new token, stored as its sha256 only; the token is returned once for the person to keep. */
export async function createToken(client: StoreClient, role: Role, name: string): Promise<string> {
  const token = `dbk_${randomBytes(32).toString('base64url')}`;
  await client.query('insert into api_tokens (name, role, sha256) values ($1, $2, $3)', [name, role, tokenHash(token)]);
  return token;
}

/** The caller a bearer token belongs to, or undefined for an unknown or revoked one. */
export async function callerOf(pool: Pool, token: string): Promise<Caller | undefined> {
  const r = await pool.query<{ name: string; role: Role }>(
    'select name, role from api_tokens where sha256 = $1 and revoked_at is null',
    [tokenHash(token)],
  );
  return r.rows[0];
}

/** A token as it is listed: never its hash. Last use is not tracked (a write on every request would cost more). */
export interface TokenListing {
  id: number;
  name: string;
  role: Role;
  createdAt: string;
  revokedAt: string | null;
}

interface TokenRow {
  id: string;
  name: string;
  role: Role;
  created_at: Date;
  revoked_at: Date | null;
}

const listing = (r: TokenRow): TokenListing => ({
  id: Number(r.id),
  name: r.name,
  role: r.role,
  createdAt: r.created_at.toISOString(),
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

export async function listTokens(client: StoreClient): Promise<TokenListing[]> {
  const r = await client.query<TokenRow>('select id, name, role, created_at, revoked_at from api_tokens order by id');
  return r.rows.map(listing);
}

/** Why a revocation was refused: nothing by that name or id, several by that name, or already revoked. */
export class RevokeRefused extends Error {
  constructor(
    readonly reason: 'unknown' | 'ambiguous' | 'revoked',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Revokes one token, by its id (digits) or its name. Every request looks its token up afresh (callerOf), so
 * the next request with it gets 401. A name held by several live tokens is refused: revoke by id then.
 */
export async function revokeToken(client: StoreClient, nameOrId: string): Promise<TokenListing> {
  const byId = /^\d{1,18}$/.test(nameOrId);
  const found = await client.query<TokenRow>(
    `select id, name, role, created_at, revoked_at from api_tokens where ${byId ? 'id = $1' : 'name = $1'} order by id`,
    [nameOrId],
  );
  const live = found.rows.filter((r) => r.revoked_at === null);
  const what = byId ? `token id ${nameOrId}` : `token "${nameOrId}"`;
  if (found.rows.length === 0) throw new RevokeRefused('unknown', `no ${what}; see drillbook token list`);
  if (live.length === 0) throw new RevokeRefused('revoked', `${what} is already revoked`);
  if (live.length > 1)
    throw new RevokeRefused(
      'ambiguous',
      `${live.length} live tokens are named "${nameOrId}" (ids ${live.map((r) => r.id).join(', ')}); revoke one by its id`,
    );
  const r = await client.query<TokenRow>(
    'update api_tokens set revoked_at = now() where id = $1 and revoked_at is null returning id, name, role, created_at, revoked_at',
    [live[0]?.id],
  );
  const row = r.rows[0];
  if (!row) throw new RevokeRefused('revoked', `${what} is already revoked`);
  return listing(row);
}
