import type { Command } from 'commander';
import { UsageError } from '../../model/errors.js';
import { storeConfig, type StoreConfig } from '../../store/store-config.js';

/** The store a store command uses: --store, else $DRILLBOOK_STORE; a command that needs one says so. */
export function requiredStore(flag: string | undefined): StoreConfig {
  const config = storeConfig(flag);
  if (!config)
    throw new UsageError(
      'no store configured: set DRILLBOOK_STORE=postgres://USER@HOST:PORT/DATABASE or give --store URL',
    );
  return config;
}

const STORE_OPTION = ['--store <url>', 'the PostgreSQL store (default: $DRILLBOOK_STORE)'] as const;

export function registerStore(program: Command): void {
  const store = program.command('store');
  store
    .command('migrate')
    .description("bring the store's schema to this drillbook's version (forward only; a newer schema is refused)")
    .option(...STORE_OPTION)
    .action(async (flags: { store?: string }) => {
      const config = requiredStore(flags.store);
      const { withStore } = await import('../../store/connect.js');
      const { migrateStore } = await import('../../store/migrate.js');
      const r = await withStore(config, migrateStore);
      process.stdout.write(
        r.applied.length === 0
          ? `store ${config.shown} is at schema version ${r.to}: nothing to migrate\n`
          : `store ${config.shown} migrated from schema version ${r.from} to ${r.to} (${r.applied.join(', ')})\n`,
      );
    });
}

export function registerSync(program: Command): void {
  program
    .command('sync')
    .option(...STORE_OPTION)
    .option('--json', 'print what was shipped as JSON')
    .action(async (flags: { store?: string; json?: boolean }) => {
      const config = requiredStore(flags.store);
      const { withStore } = await import('../../store/connect.js');
      const { migrateStore } = await import('../../store/migrate.js');
      const { syncRuns } = await import('../../store/sync.js');
      const r = await withStore(config, async (client) => {
        await migrateStore(client);
        return syncRuns(client);
      });
      for (const f of r.failed) process.stderr.write(`drillbook: run ${f.runId} not shipped: ${f.reason}\n`);
      if (flags.json) process.stdout.write(`${JSON.stringify({ store: config.shown, ...r }, null, 2)}\n`);
      else {
        const events = r.shipped.reduce((n, s) => n + s.events, 0);
        process.stdout.write(
          `${r.runs} local run${r.runs === 1 ? '' : 's'}: ${r.shipped.length} shipped (${events} events), ${r.upToDate} already in ${config.shown}${r.failed.length > 0 ? `, ${r.failed.length} failed` : ''}\n`,
        );
      }
      if (r.failed.length > 0) process.exitCode = 1;
    });
}
