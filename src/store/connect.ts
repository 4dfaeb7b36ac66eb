import type { Client } from 'pg';
import type { StoreConfig } from './store-config.js';
import { storeErrorFrom } from './store-error.js';

export type StoreClient = Client;

/** No wait on the store is longer than this: a run never hangs on it. */
export const CONNECT_TIMEOUT_MS = 3000;

/**
 * Opens one connection to the store (pg is loaded here, on first use, never by a simulation). Times are UTC
 * in this session so that periods (day, week, month) are the same on every machine. A connection the server
 * drops later emits 'error': `onLost` hears it instead of the process crashing.
 */
export async function connectStore(
  config: StoreConfig,
  onLost: (error: Error) => void = () => {},
): Promise<StoreClient> {
  const { default: pg } = await import('pg');
  const client = new pg.Client({
    connectionString: config.url,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
    query_timeout: 30_000,
    application_name: 'drillbook',
  });
  client.on('error', onLost);
  try {
    await client.connect();
    await client.query("set time zone 'UTC'");
  } catch (error) {
    await client.end().catch(() => {});
    throw storeErrorFrom(config, error);
  }
  return client;
}

/** Runs `use` on a fresh connection and closes it, whatever happens; failures are StoreErrors. */
export async function withStore<T>(config: StoreConfig, use: (client: StoreClient) => Promise<T>): Promise<T> {
  const client = await connectStore(config);
  try {
    return await use(client);
  } catch (error) {
    throw storeErrorFrom(config, error);
  } finally {
    await client.end().catch(() => {});
  }
}
