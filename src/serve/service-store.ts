import { withStore, type StoreClient } from '../store/connect.js';
import { migrateStore } from '../store/migrate.js';
import { storeConfig, type StoreConfig } from '../store/store-config.js';
import { storeErrorFrom } from '../store/store-error.js';

/** The service's store when neither --store nor DRILLBOOK_STORE names one: a `drillbook` database on this machine. */
export const DEFAULT_SERVICE_STORE = `postgres://${process.env.PGUSER ?? 'postgres'}@127.0.0.1:5432/drillbook`;

/** --store, else $DRILLBOOK_STORE, else the local `drillbook` database. */
export function serviceStoreConfig(flag: string | undefined): StoreConfig {
  return storeConfig(flag) ?? (storeConfig(DEFAULT_SERVICE_STORE) as StoreConfig);
}

/**
 * The store ready for the service: its database created if missing (only the default one: a URL a person
 * gave names a database they manage), its schema migrated by the store's own migrator.
 */
export async function prepareServiceStore(config: StoreConfig, createIfMissing: boolean): Promise<void> {
  try {
    await withStore(config, migrateStore);
  } catch (error) {
    const missing = (error as { cause?: { code?: unknown } }).cause?.code === '3D000';
    if (!missing || !createIfMissing) throw error;
    await createDatabase(config);
    await withStore(config, migrateStore);
  }
}

async function createDatabase(config: StoreConfig): Promise<void> {
  const url = new URL(config.url);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = { ...config, url: url.href };
  await withStore(admin, async (client: StoreClient) => {
    const quoted = `"${name.replace(/"/g, '""')}"`;
    await client.query(`create database ${quoted}`).catch((error: unknown) => {
      // Another service created it meanwhile.
      if ((error as { code?: unknown }).code !== '42P04') throw storeErrorFrom(config, error);
    });
  });
}
