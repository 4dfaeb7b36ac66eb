import type { Pool } from 'pg';
import { messageOf } from '../model/error-message.js';
import { findServiceRun } from './service-runs.js';
import { eventsAfter } from './stored-run.js';

/** How often a followed run's new events are looked for in the store (the shipper batches every 250 ms). */
const POLL_MS = 200;
const DONE = new Set(['finished', 'failed', 'cancelled', 'interrupted']);

export interface FeedEvent {
  seq: number;
  type: string;
  payload: unknown;
}

/** One SSE client: the journal line it has up to, what to do with the next event, and with the end. */
export interface FeedReader {
  after: number;
  send(event: FeedEvent): void;
  end(error?: string): void;
}

/** What a feed follows: a service request (its run id comes when a worker takes it) or a run id alone. */
export interface FeedSource {
  key: string;
  serviceId: string | undefined;
  runId: string;
}

/**
 * One poll of the store per followed run, whatever the number of its readers: readers of the same run share a
 * feed that keeps the events read so far, so a reader joining late (or resuming with Last-Event-ID) is served
 * from memory and then live. A feed lives while it has readers or until its run is done.
 */
export class RunFeeds {
  private readonly feeds = new Map<string, RunFeed>();

  constructor(private readonly pool: Pool) {}

  /** Adds a reader; the returned function removes it (the client went away). */
  follow(source: FeedSource, reader: FeedReader): () => void {
    let feed = this.feeds.get(source.key);
    if (!feed) {
      const created = new RunFeed(this.pool, source, () => {
        if (this.feeds.get(source.key) === created) this.feeds.delete(source.key);
      });
      this.feeds.set(source.key, created);
      feed = created;
    }
    return feed.add(reader);
  }
}

class RunFeed {
  private readonly events: FeedEvent[] = [];
  private readonly readers = new Set<FeedReader>();
  private polling = false;
  private finishedSeen = false;

  constructor(
    private readonly pool: Pool,
    private readonly source: FeedSource,
    private readonly forget: () => void,
  ) {}

  add(reader: FeedReader): () => void {
    for (const e of this.events) deliver(reader, e);
    this.readers.add(reader);
    if (!this.polling) void this.poll();
    return () => this.readers.delete(reader);
  }

  private async poll(): Promise<void> {
    this.polling = true;
    let error: string | undefined;
    let done = false;
    try {
      while (this.readers.size > 0 && !done) {
        const step = await this.next();
        done = step === 'done';
        if (step === 'idle') await sleep(POLL_MS);
      }
    } catch (e) {
      error = messageOf(e);
      done = true;
    }
    this.polling = false;
    // A feed without readers or with a done run is dropped at once: nothing more is read for it.
    this.forget();
    if (done) for (const r of this.readers) r.end(error);
    this.readers.clear();
  }

  /** One look at the store: 'more' when events came (look again at once), 'idle' when none, 'done' at the end. */
  private async next(): Promise<'more' | 'idle' | 'done'> {
    const { serviceId } = this.source;
    const state = serviceId ? await findServiceRun(this.pool, serviceId) : undefined;
    const runId = state?.runId ?? (serviceId ? null : this.source.runId);
    // The state is read before the events: nothing is written after a finished request's last line.
    const ended = serviceId ? DONE.has(state?.status ?? '') : this.finishedSeen;
    if (runId !== null) {
      const after = this.events.at(-1)?.seq ?? 0;
      const events = await eventsAfter(this.pool, runId, after);
      for (const e of events) {
        this.events.push(e);
        if (e.type === 'run-finished') this.finishedSeen = true;
        for (const r of this.readers) deliver(r, e);
      }
      if (events.length > 0) return 'more';
    }
    return ended ? 'done' : 'idle';
  }
}

/** Each reader gets each line once, in order: only lines after the one it has. */
function deliver(reader: FeedReader, e: FeedEvent): void {
  if (e.seq <= reader.after) return;
  reader.send(e);
  reader.after = e.seq;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
