import type { Command } from 'commander';
import { UsageError } from '../../model/errors.js';
import type { AlertConfig } from '../../serve/alerts/alert-config.js';
import { collectVar } from '../var-options.js';

interface ServeFlags {
  host: string;
  port: string;
  file: string[];
  store?: string;
  dataDir?: string;
  concurrency: string;
  worker: boolean;
  alertWebhook: string[];
  publicUrl?: string;
}

const CONCURRENCY = ['--concurrency <n>', 'runs at once in this worker', '2'] as const;
const STORE = [
  '--store <url>',
  'the PostgreSQL store and queue (default: $DRILLBOOK_STORE, else a local "drillbook" database, created if missing)',
] as const;
const DATA_DIR = [
  '--data-dir <dir>',
  "where each run's DRILLBOOK_HOME goes (default: $DRILLBOOK_HOME/service)",
] as const;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .option('--host <host>', 'address to bind', '127.0.0.1')
    .option('--port <n>', 'port to listen on (0: any free port)', '8420')
    .option('-f, --file <file>', 'runbook to register at start (repeatable)', collectVar, [])
    .option(...STORE)
    .option(...DATA_DIR)
    .option(...CONCURRENCY)
    .option('--no-worker', 'no embedded worker: runs wait for `drillbook worker` processes')
    .option(
      '--alert-webhook <url>',
      'post alerts (failed or breached scheduled runs, overdue drills) here, Slack-compatible (repeatable; also $DRILLBOOK_ALERT_WEBHOOKS, comma-separated)',
      collectVar,
      [],
    )
    .option('--public-url <url>', "this service's address as people reach it, for links in alerts")
    .action(async (flags: ServeFlags) => {
      const port = whole(flags.port, '--port', 0, 65535);
      const concurrency = flags.worker ? whole(flags.concurrency, '--concurrency', 1, 64) : 0;
      const { alertWebhooks, publicUrl } = await import('../../serve/alerts/alert-config.js');
      const alerts = { webhooks: alertWebhooks(flags.alertWebhook), publicUrl: publicUrl(flags.publicUrl) };
      const running = await start(flags.store, flags.dataDir, concurrency, alerts);
      const { registerStartFiles, listen } = await import('../../serve/service.js');
      let app: Awaited<ReturnType<typeof listen>>['app'] | undefined;
      const stop = async () => {
        await app?.close();
        await running.close();
      };
      try {
        const names = await registerStartFiles(running.ctx, flags.file);
        const listening = await listen(running.ctx, flags.host, port);
        app = listening.app;
        if (running.ctx.alerts && alerts.publicUrl === undefined) running.ctx.alerts.baseUrl = listening.url;
        // How many webhooks, never which: their URLs are keys.
        const hooks = alerts.webhooks.length;
        process.stdout.write(
          `drillbook serve: listening on ${listening.url} (store ${running.ctx.store.shown}${names.length > 0 ? `; runbooks ${names.join(', ')}` : ''}; ${concurrency > 0 ? `worker: ${concurrency} at once` : 'no worker'}; alerts: ${hooks} webhook${hooks === 1 ? '' : 's'})\n`,
        );
      } catch (error) {
        await stop();
        throw error;
      }
      await untilStopped(stop, 'serve');
    });
}

export function registerWorker(program: Command): void {
  program
    .command('worker')
    .option(...STORE)
    .option(...DATA_DIR)
    .option(...CONCURRENCY)
    .action(async (flags: { store?: string; dataDir?: string; concurrency: string }) => {
      const concurrency = whole(flags.concurrency, '--concurrency', 1, 64);
      const running = await start(flags.store, flags.dataDir, concurrency);
      process.stdout.write(`drillbook worker: taking runs from ${running.ctx.store.shown} (${concurrency} at once)\n`);
      await untilStopped(() => running.close(), 'worker');
    });
}

async function start(
  storeFlag: string | undefined,
  dataDir: string | undefined,
  concurrency: number,
  alerts?: AlertConfig,
) {
  const { serviceStoreConfig, prepareServiceStore } = await import('../../serve/service-store.js');
  const { storeConfig } = await import('../../store/store-config.js');
  const store = serviceStoreConfig(storeFlag);
  await prepareServiceStore(store, storeConfig(storeFlag) === undefined);
  const { startServiceParts } = await import('../../serve/service.js');
  return startServiceParts({
    store,
    concurrency,
    ...(dataDir !== undefined ? { dataDir } : {}),
    ...(alerts ? { serve: { alerts } } : {}),
  });
}

/** SIGTERM or SIGINT: stop taking work, interrupt running runs through their journals, then exit. */
function untilStopped(stop: () => Promise<void>, what: string): Promise<void> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.stdout.write(`drillbook ${what}: ${signal}: stopping (running runs are interrupted)\n`);
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      void stop().then(() => {
        process.stdout.write(`drillbook ${what}: stopped\n`);
        resolve();
      });
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

function whole(text: string, flag: string, min: number, max: number): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return n;
}
