import { Option, type Command } from 'commander';
import { UsageError } from '../../model/errors.js';

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
    .option(
      '--store <url>',
      'the PostgreSQL store (default: $DRILLBOOK_STORE, else the local "drillbook" database, created if missing)',
    )
    .action(async (flags: { role: 'viewer' | 'runner' | 'approver' | 'admin'; name: string; store?: string }) => {
      if (flags.name.trim() === '' || flags.name.length > 200)
        throw new UsageError('--name must be 1 to 200 characters');
      const { serviceStoreConfig, prepareServiceStore } = await import('../../serve/service-store.js');
      const { storeConfig } = await import('../../store/store-config.js');
      const { withStore } = await import('../../store/connect.js');
      const { createToken } = await import('../../serve/tokens.js');
      const store = serviceStoreConfig(flags.store);
      await prepareServiceStore(store, storeConfig(flags.store) === undefined);
      const secret = await withStore(store, (client) => createToken(client, flags.role, flags.name));
      process.stderr.write(`token "${flags.name}" (${flags.role}) created in ${store.shown}; it is shown only now:\n`);
      process.stdout.write(`${secret}\n`);
    });
}
