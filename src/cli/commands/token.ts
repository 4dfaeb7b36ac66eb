import { Option, type Command } from 'commander';
import { UsageError } from '../../model/errors.js';
import type { StoreClient } from '../../store/connect.js';

const STORE_HELP =
  'the PostgreSQL store (default: $DRILLBOOK_STORE, else the local "drillbook" database, created if missing)';

export function registerToken(program: Command): void {
  const token = program.command('token');
  token
    .command('create')
    .description('create an API token for drillbook serve; it is printed once, only its sha256 is stored')
    .addOption(
      new Option('--role <role>', 'what the token may do')
        .choices(['viewer', 'runner', 'approver', 'admin'])
        .makeOptionMandatory(),
    )
    .requiredOption('--name <name>', 'who or what holds it (shown in the audit log)')
    .option('--store <url>', STORE_HELP)
    .action(async (flags: { role: 'viewer' | 'runner' | 'approver' | 'admin'; name: string; store?: string }) => {
      if (flags.name.trim() === '' || flags.name.length > 200)
        throw new UsageError('--name must be 1 to 200 characters');
      const { createToken } = await import('../../serve/tokens.js');
      const { shown, result: secret } = await withServiceStore(flags.store, (client) =>
        createToken(client, flags.role, flags.name),
      );
      process.stderr.write(`token "${flags.name}" (${flags.role}) created in ${shown}; it is shown only now:\n`);
      process.stdout.write(`${secret}\n`);
    });
  token
    .command('list')
    .description('the API tokens: id, name, role, created, revoked (never a token or its hash)')
    .option('--json', 'print them as JSON')
    .option('--store <url>', STORE_HELP)
    .action(async (flags: { json?: boolean; store?: string }) => {
      const { listTokens } = await import('../../serve/tokens.js');
      const { renderTable } = await import('../table.js');
      const { shown, result: tokens } = await withServiceStore(flags.store, listTokens);
      if (flags.json) {
        process.stdout.write(`${JSON.stringify({ store: shown, tokens }, null, 2)}\n`);
        return;
      }
      if (tokens.length === 0) {
        process.stdout.write(`no tokens in ${shown}; create one with: drillbook token create --role R --name N\n`);
        return;
      }
      const rows = tokens.map((t) => [String(t.id), t.name, t.role, t.createdAt, t.revokedAt ?? '-']);
      process.stdout.write(renderTable(['ID', 'NAME', 'ROLE', 'CREATED', 'REVOKED'], rows));
    });
  token
    .command('revoke')
    .argument('<name-or-id>', "the token's name, or its id when several share a name (drillbook token list)")
    .description('revoke an API token: its next request gets 401')
    .option('--store <url>', STORE_HELP)
    .action(async (nameOrId: string, flags: { store?: string }) => {
      const { revokeToken, RevokeRefused } = await import('../../serve/tokens.js');
      // A refusal is the person's mistake (exit 2), not a store failure: it comes back as a value.
      const { shown, result } = await withServiceStore(flags.store, (client) =>
        revokeToken(client, nameOrId).catch((error: unknown) => {
          if (error instanceof RevokeRefused) return error;
          throw error;
        }),
      );
      if (result instanceof RevokeRefused) throw new UsageError(result.message);
      process.stdout.write(`revoked token ${result.id} "${result.name}" (${result.role}) in ${shown}\n`);
    });
}

/** The service's store, prepared as `serve` prepares it (migrated; the default database created if missing). */
async function withServiceStore<T>(
  flag: string | undefined,
  use: (client: StoreClient) => Promise<T>,
): Promise<{ shown: string; result: T }> {
  const { serviceStoreConfig, prepareServiceStore } = await import('../../serve/service-store.js');
  const { storeConfig } = await import('../../store/store-config.js');
  const { withStore } = await import('../../store/connect.js');
  const store = serviceStoreConfig(flag);
  await prepareServiceStore(store, storeConfig(flag) === undefined);
  return { shown: store.shown, result: await withStore(store, use) };
}
