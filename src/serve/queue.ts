import type PgBoss from 'pg-boss';
import type { StoreConfig } from '../store/store-config.js';

/** The pg-boss queue runs wait in; pg-boss keeps its tables in the `pgboss` schema of the store's database. */
export const RUN_QUEUE = 'drillbook-run';

/**
 * A job is tried once: a worker that dies mid-run leaves its run interrupted (its journal says so) and the
 * job is never handed to another worker, because re-running a recovery step silently is what a resume must
 * not do. A person resumes it (docs/service.md).
 */
const QUEUE_POLICY = { retryLimit: 0, expireInHours: 12 } as const;

export async function startBoss(store: StoreConfig, options: { schedule?: boolean } = {}): Promise<PgBoss> {
  const { default: PgBossClass } = await import('pg-boss');
  const boss = new PgBossClass({
    connectionString: store.url,
    application_name: 'drillbook-serve',
    max: 4,
    schedule: options.schedule ?? false,
    // Cron is checked every few seconds (pg-boss takes one server's check per interval across all), so a schedule
    // created or changed fires in its minute, not up to half a minute late.
    ...(options.schedule === true ? { cronMonitorIntervalSeconds: 5, cronWorkerIntervalSeconds: 2 } : {}),
    supervise: true,
  });
  boss.on('error', (error: Error) => {
    process.stderr.write(`drillbook: the queue: ${error.message.split(store.password ?? '\0').join('***')}\n`);
  });
  await boss.start();
  await boss.createQueue(RUN_QUEUE, { name: RUN_QUEUE, ...QUEUE_POLICY });
  return boss;
}
