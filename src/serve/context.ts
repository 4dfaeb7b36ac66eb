import type { Pool } from 'pg';
import type PgBoss from 'pg-boss';
import type { StoreConfig } from '../store/store-config.js';
import type { AlertChecker } from './alerts/alert-checker.js';
import type { Scheduler } from './schedules/scheduler.js';

/** What every route and the worker share: the store (a pg pool on it), the queue, where job homes go. */
export interface ServiceContext {
  store: StoreConfig;
  pool: Pool;
  boss: PgBoss;
  /** Each run gets its own DRILLBOOK_HOME under here (its journal, its runbook text). */
  dataDir: string;
  /** In `serve` only: keeps pg-boss's cron in step with the schedules table. */
  scheduler?: Scheduler;
  /** In `serve` only: posts alerts to the configured webhooks. */
  alerts?: AlertChecker;
}

/** An API error with its HTTP status: the answer is `{error: message, ...details}`. */
export class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
