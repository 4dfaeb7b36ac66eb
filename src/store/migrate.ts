import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { StoreClient } from './connect.js';
import { StoreError } from './store-error.js';

/** The numbered, forward-only migrations shipped with this drillbook: schemas/store/NNN.do.sql. */
const MIGRATIONS = fileURLToPath(new URL('../../schemas/store/', import.meta.url));
const VERSION_TABLE = 'drillbook_schema_version';
/** Held while migrating: several runners starting at once migrate one after the other, not over each other. */
const MIGRATION_LOCK = 7_357_001;

export interface MigrationResult {
  from: number;
  to: number;
  applied: string[];
}

/** The schema version the store is at: 0 for an empty database. */
export async function storeVersion(client: StoreClient): Promise<number> {
  const table = await client.query<{ exists: boolean }>('select to_regclass($1) is not null as exists', [
    VERSION_TABLE,
  ]);
  if (table.rows[0]?.exists !== true) return 0;
  const r = await client.query<{ v: string | null }>(`select max(version)::text as v from ${VERSION_TABLE}`);
  return Number(r.rows[0]?.v ?? 0);
}

/**
 * Brings the store's schema to this drillbook's version (postgrator, forward only). A store already at a
 * newer version is refused and left as it is: an older drillbook must not write into tables it does not know.
 */
export async function migrateStore(client: StoreClient): Promise<MigrationResult> {
  const { default: Postgrator } = await import('postgrator');
  const postgrator = new Postgrator({
    migrationPattern: `${MIGRATIONS}*.do.sql`,
    driver: 'pg',
    schemaTable: VERSION_TABLE,
    execQuery: (sql) => client.query(sql),
  });
  const known = await postgrator.getMaxVersion();
  await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK]);
  try {
    const from = await storeVersion(client);
    if (from > known) throw newerSchema(from, known);
    if (from === known) return { from, to: from, applied: [] };
    // PostgreSQL's DDL is transactional: a migration that fails leaves the store at the version it was.
    await client.query('begin');
    try {
      const applied = await postgrator.migrate(String(known));
      await client.query('commit');
      return { from, to: known, applied: applied.map((m) => basename(m.filename)) };
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  } finally {
    await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => {});
  }
}

function newerSchema(found: number, known: number): StoreError {
  return new StoreError(
    `the store's schema is version ${found}, newer than this drillbook knows (${known}); it was left untouched: upgrade drillbook to use this store`,
  );
}
