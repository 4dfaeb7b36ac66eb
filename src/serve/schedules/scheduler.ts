import type PgBoss from 'pg-boss';
import { messageOf } from '../../model/error-message.js';
import type { ServiceContext } from '../context.js';
import { fireSchedule } from './fire.js';
import { findSchedule, listSchedules, type Schedule } from './schedule-store.js';

/** Each drillbook schedule is one pg-boss queue and one pg-boss cron schedule of the same name. */
export const SCHEDULE_QUEUE_PREFIX = 'drillbook-schedule-';
export const scheduleQueue = (id: number): string => `${SCHEDULE_QUEUE_PREFIX}${id}`;

/** Other servers' changes reach this one within this long. */
const RESYNC_MS = 60_000;
/** How often this server looks for a firing pg-boss queued: a cron fires at most once a minute, and each schedule
 * has a queue of its own (one poll each), so this is not as often as the run queue's. */
const FIRING_POLL_SECONDS = 5;
/** A firing is tried once, and one nobody took within an hour is dropped: the next one comes anyway. */
const FIRING_POLICY = { retryLimit: 0, expireInSeconds: 15 * 60, retentionMinutes: 60 } as const;

interface FiringData {
  scheduleId: number;
}

/**
 * Keeps pg-boss's cron in step with the `schedules` table, and takes the firings: pg-boss decides when a cron is
 * due (once across every server, by its own lock) and queues a job on the schedule's queue; whichever server
 * takes it queues the run. Every change made through this server is synced at once, others' every minute.
 */
export class Scheduler {
  /** schedule id → the pg-boss work loop taking its firings here. */
  private readonly working = new Map<number, string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly ctx: ServiceContext) {}

  async start(): Promise<void> {
    await this.syncAll();
    this.timer = setInterval(() => {
      this.syncAll().catch((error: unknown) => {
        process.stderr.write(`drillbook serve: schedules not synced: ${messageOf(error)}\n`);
      });
    }, RESYNC_MS);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await Promise.all([...this.working.values()].map((id) => this.ctx.boss.offWork({ id }).catch(() => {})));
    this.working.clear();
  }

  /** One schedule as the table has it now: scheduled and worked while enabled, else neither. */
  async sync(id: number): Promise<void> {
    const schedule = await findSchedule(this.ctx.pool, id);
    if (schedule?.enabled === true) await this.arm(schedule);
    else await this.disarm(id, schedule === undefined);
  }

  async syncAll(): Promise<void> {
    const schedules = await listSchedules(this.ctx.pool);
    const armed = new Set<number>();
    for (const s of schedules.filter((s) => s.enabled)) {
      await this.arm(s);
      armed.add(s.id);
    }
    const known = new Set(schedules.map((s) => s.id));
    const inBoss = (await this.ctx.boss.getSchedules())
      .filter((s) => s.name.startsWith(SCHEDULE_QUEUE_PREFIX))
      .map((s) => Number(s.name.slice(SCHEDULE_QUEUE_PREFIX.length)));
    for (const id of new Set([...inBoss, ...this.working.keys()]))
      if (!armed.has(id)) await this.disarm(id, !known.has(id));
  }

  private async arm(s: Schedule): Promise<void> {
    const name = scheduleQueue(s.id);
    await this.ctx.boss.createQueue(name, { name, ...FIRING_POLICY });
    const data: FiringData = { scheduleId: s.id };
    await this.ctx.boss.schedule(name, s.cron, data, { tz: s.tz });
    if (this.working.has(s.id)) return;
    const workId = await this.ctx.boss.work<FiringData>(
      name,
      { batchSize: 1, pollingIntervalSeconds: FIRING_POLL_SECONDS },
      async (jobs: PgBoss.Job<FiringData>[]) => {
        for (const job of jobs) await this.onFiring(job.data.scheduleId);
      },
    );
    this.working.set(s.id, workId);
  }

  private async disarm(id: number, gone: boolean): Promise<void> {
    const name = scheduleQueue(id);
    await this.ctx.boss.unschedule(name);
    const workId = this.working.get(id);
    this.working.delete(id);
    if (workId !== undefined) await this.ctx.boss.offWork({ id: workId }).catch(() => {});
    if (gone) await this.ctx.boss.deleteQueue(name).catch(() => {});
  }

  /** pg-boss's cron fired: a run, unless the schedule was disabled or deleted since (by any server). */
  private async onFiring(id: number): Promise<void> {
    const schedule = await findSchedule(this.ctx.pool, id);
    if (schedule?.enabled !== true) return;
    // A firing that cannot queue is kept as the schedule's last error (fireSchedule records it).
    await fireSchedule(this.ctx, id).catch(() => {});
  }
}
