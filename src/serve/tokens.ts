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
