import { readJournal } from '../journal/journal.js';
import { connectStore, type StoreClient } from './connect.js';
import { runbookRowOf } from './local-journal.js';
import { migrateStore } from './migrate.js';
import { runRowOf } from './run-row.js';
import { shipBatch, type NumberedLine } from './ship.js';
import type { StoreConfig } from './store-config.js';
import { describeStoreFailure, StoreError } from './store-error.js';
import { syncRuns } from './sync.js';

export interface ShipperOptions {
  config: StoreConfig;
  runId: string;
  journalPath: string;
  /** One line to the person (stderr): the store fell behind. Said once per run. */
  say: (line: string) => void;
  /** How long events gather before a batch goes. */
  intervalMs?: number;
  /** A batch this big goes at once. */
  batchMax?: number;
  /** Ship the other local journals the store lacks, in the background (the catch-up of earlier outages). */
  catchUp?: boolean;
}

/**
 * Lines whose arrival changes the run's row (its origin, its verdict, its metrics and reviewer). The journal
 * writes every event as {"at":…,"t":…,"type":…}, so the type is read without parsing the line.
 */
const ROW_EVENT = /^\{"at":"[^"]*","t":[-\d.e]+,"type":"(?:run-started|run-resumed|run-finished|recorded|reviewer)"/;
const RETRY_MAX_MS = 5000;

/**
 * Mirrors a run's journal into the store while it runs. The journal hands over each event once it is on
 * disk (Journal.onDurable); `add` only queues it, and batches go from a timer, never awaited by a step. A
 * store that is down, or lost mid-batch, is retried with a growing delay; the run goes on and hears once
 * that the store is behind. `finish` tries a last flush within a deadline; what is left, `drillbook sync`
 * (or the next run's catch-up) ships from the journal.
 */
export class Shipper {
  private readonly queue: NumberedLine[] = [];
  private client: StoreClient | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pumping: Promise<void> | undefined;
  private rowStale = false;
  private runbookSent = false;
  private failures = 0;
  private behind = false;
  /** The store can never take this run's events (a newer schema): no more tries. */
  private refused = false;
  private finishing = false;
  /** The deadline of `finish` passed: the catch-up stops between runs. */
  private catchUpStopped = false;
  private catchUpRun: Promise<void> | undefined;
  private readonly intervalMs: number;
  private readonly batchMax: number;

  constructor(private readonly o: ShipperOptions) {
    this.intervalMs = o.intervalMs ?? 250;
    this.batchMax = o.batchMax ?? 500;
  }

  /** Queues one durable journal line (its JSON text); O(1), no I/O. */
  add(line: string, seq: number): void {
    if (this.refused) return;
    this.queue.push({ seq, line });
    if (ROW_EVENT.test(line)) this.rowStale = true;
    this.schedule(this.queue.length >= this.batchMax ? 0 : this.intervalMs);
  }

  /** Stops the timers and tries to ship what is left within `deadlineMs`; returns how many events are still unshipped. */
  async finish(deadlineMs = 2000): Promise<number> {
    this.finishing = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    const deadline = new Promise<void>((resolve) => setTimeout(resolve, deadlineMs).unref());
    const flush = (async () => {
      await this.pumping;
      if (!this.refused && (this.queue.length > 0 || this.rowStale)) await this.pump();
      await this.catchUpRun;
    })();
    await Promise.race([flush, deadline]);
    this.catchUpStopped = true;
    const left = this.queue.length;
    if (left > 0 && !this.behind && !this.refused) this.sayBehind(`${left} events were not shipped in time`);
    await this.client?.end().catch(() => {});
    this.client = undefined;
    return left;
  }

  private schedule(ms: number): void {
    if (this.timer !== undefined || this.pumping !== undefined || this.refused || this.finishing) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.pumping = this.pump().finally(() => {
        this.pumping = undefined;
        if (this.queue.length > 0 || this.rowStale)
          this.schedule(this.failures === 0 ? this.intervalMs : Math.min(RETRY_MAX_MS, 250 * 2 ** this.failures));
      });
    }, ms);
  }

  /** Ships the queue in order, batch by batch; a failure keeps the batch queued for the next try. */
  private async pump(): Promise<void> {
    while (!this.refused && (this.queue.length > 0 || this.rowStale)) {
      const batch = this.queue.slice(0, this.batchMax);
      const last = batch.length === this.queue.length;
      try {
        const client = await this.connection();
        const rowStale = this.rowStale;
        const journal = last && rowStale ? readJournal(this.o.journalPath) : undefined;
        const runbook = !this.runbookSent && journal ? runbookRowOf(journal) : undefined;
        await shipBatch(client, {
          runId: this.o.runId,
          events: batch,
          ...(runbook ? { runbook } : {}),
          ...(journal ? { row: runRowOf(journal) } : {}),
        });
        this.queue.splice(0, batch.length);
        if (journal) {
          if (this.rowStale === rowStale) this.rowStale = false;
          if (runbook) this.runbookSent = true;
        }
        this.failures = 0;
      } catch (error) {
        this.failed(error);
        return;
      }
    }
  }

  private async connection(): Promise<StoreClient> {
    if (this.client) return this.client;
    const client = await connectStore(this.o.config, () => {
      if (this.client === client) this.client = undefined;
      void client.end().catch(() => {});
    });
    try {
      await migrateStore(client);
      // A connection that came up after finish gave up on it would keep the process alive.
      if (this.catchUpStopped) throw new Error('the run has finished');
    } catch (error) {
      await client.end().catch(() => {});
      throw error;
    }
    this.client = client;
    if (this.o.catchUp === true && this.catchUpRun === undefined) this.catchUpRun = this.catchUp();
    return client;
  }

  /** Other runs' journals the store lacks (an earlier outage): shipped on a second connection, errors left to `drillbook sync`. */
  private async catchUp(): Promise<void> {
    try {
      const client = await connectStore(this.o.config, () => {});
      try {
        if (!this.catchUpStopped) await syncRuns(client, () => this.catchUpStopped);
      } finally {
        await client.end().catch(() => {});
      }
    } catch {
      // The run's own shipping says when the store is behind; `drillbook sync` reports a catch-up's failures.
    }
  }

  private failed(error: unknown): void {
    this.failures += 1;
    const client = this.client;
    this.client = undefined;
    void client?.end().catch(() => {});
    // After finish gave up, the connection it closed fails what was in flight: nothing new to say.
    if (this.catchUpStopped) return;
    if (error instanceof StoreError && /newer than this drillbook/.test(error.message)) {
      this.refused = true;
      this.o.say(`drillbook: store not used for this run: ${error.message}`);
      return;
    }
    this.sayBehind(error instanceof StoreError ? error.message : describeStoreFailure(this.o.config, error));
  }

  private sayBehind(why: string): void {
    if (this.behind) return;
    this.behind = true;
    this.o.say(
      `drillbook: the store is behind (${why}); the run goes on, its journal is kept, and shipping is retried (or: drillbook sync)`,
    );
  }
}
