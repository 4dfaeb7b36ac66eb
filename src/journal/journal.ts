import {
  closeSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  writeSync,
} from 'node:fs';
import { basename, join } from 'node:path';
import type { SecretMasker } from '../model/secret-masker.js';
import type { EventBody, JournalEvent } from './events.js';
import { eventProblem } from './event-shape.js';
import { JournalError } from './journal-error.js';
import { acquireRunLock, type RunLock } from './run-lock.js';
import { messageOf, codeOf } from '../model/error-message.js';

export { JournalError } from './journal-error.js';

export type JournalListener = (event: JournalEvent) => void;
/** Called once per event after it is on disk (synced), with its line number in the journal (1-based) and the line. */
export type DurableListener = (event: JournalEvent, seq: number, line: string) => void;

/**
 * Append-only JSONL journal. `append(e, {durable: true})` returns only after the event (and
 * every earlier one) is on disk, so a crash never loses a step that started. One process writes a
 * run at a time (journal.lock); opening an existing journal first repairs a torn tail.
 */
export class Journal {
  private readonly fd: number;
  private readonly lock: RunLock;
  private readonly listeners: JournalListener[] = [];
  private readonly durableListeners: DurableListener[] = [];
  /** Events written since the last sync, with their line numbers: they become durable at the next sync. */
  private unsynced: { event: JournalEvent; seq: number; line: string }[] = [];
  /** Line number of the last event appended; the lines already in the file count first. */
  private seq = 0;
  private closed = false;
  private failure: JournalError | undefined;
  /** Events written to no file yet: they go with the next durable event, or when the walk next waits. */
  private readonly pending: string[] = [];
  private flushQueued = false;

  private constructor(
    readonly dir: string,
    readonly startedAtMs: number,
    private readonly masker: SecretMasker,
  ) {
    try {
      mkdirSync(dir, { recursive: true });
    } catch (error) {
      throw new JournalError(`cannot open journal in ${dir}: ${messageOf(error)}`, { cause: error });
    }
    this.lock = acquireRunLock(dir, basename(dir));
    try {
      this.fd = openSync(join(dir, 'journal.jsonl'), 'a+');
    } catch (error) {
      this.lock.release();
      throw new JournalError(`cannot open journal in ${dir}: ${messageOf(error)}`, { cause: error });
    }
  }

  /** Opens a run's journal for appending; a torn tail left by a crash or a full disk is cut off and recorded. */
  static open(dir: string, masker: SecretMasker, startedAtMs = Date.now()): Journal {
    const journal = new Journal(dir, startedAtMs, masker);
    const droppedBytes = journal.repairTail();
    journal.seq = countLines(readFileSync(journal.path));
    if (droppedBytes > 0) journal.append({ type: 'journal-repaired', droppedBytes }, { durable: true });
    return journal;
  }

  get path(): string {
    return join(this.dir, 'journal.jsonl');
  }

  onEvent(listener: JournalListener): void {
    this.listeners.push(listener);
  }

  /**
   * Listens for events once they are synced to the disk (a durable append, or close), in line order: what
   * a listener is given survives a crash, so a copy made from it (the store) never holds more than the journal.
   */
  onDurable(listener: DurableListener): void {
    this.durableListeners.push(listener);
  }

  /**
   * Truncates the journal to its last intact line (see intactLength), so that what is appended next starts on
   * a line of its own. Returns how many bytes it dropped.
   */
  repairTail(): number {
    const content = readFileSync(this.path);
    const keep = intactLength(content);
    if (keep === content.length) return 0;
    try {
      ftruncateSync(this.fd, keep);
      fsyncSync(this.fd);
    } catch (error) {
      throw this.writeFailed(error);
    }
    return content.length - keep;
  }

  /**
   * Writes one event. After a write fails nothing more is written (it would follow a torn line), and the failure
   * is thrown from this durable append or the next one, which comes before any further step: a non-durable
   * append may run in a timer (an overrun), where a throw would escape the run as a crash.
   */
  append(body: EventBody, options: { durable?: boolean } = {}): JournalEvent {
    const now = Date.now();
    const event = this.masker.maskDeep({ at: new Date(now).toISOString(), t: now - this.startedAtMs, ...body });
    // A late timer (an overrun) after the run ended has nothing left to write to.
    if (this.closed) return event;
    if (this.failure === undefined) {
      const line = `${JSON.stringify(event)}\n`;
      this.pending.push(line);
      this.seq += 1;
      if (this.durableListeners.length > 0) this.unsynced.push({ event, seq: this.seq, line });
      if (options.durable) this.flush(true);
      else this.flushSoon();
      if (this.failure === undefined) for (const listener of this.listeners) listener(event);
    }
    if (this.failure !== undefined && options.durable) throw this.failure;
    return event;
  }

  /**
   * Writes what is pending in one write; `durable` then syncs the data to the disk. A step's finished event
   * and the next step's started event thus reach the disk in one write and one sync, and never later than
   * that: an event that is not followed by a durable one at once (a person at a prompt, a long wait) is
   * written as soon as the walk waits for anything, so a crash finds it in the file.
   */
  private flush(durable: boolean): void {
    if (this.failure !== undefined) return;
    try {
      if (this.pending.length > 0) writeAll(this.fd, Buffer.from(this.pending.splice(0).join('')));
      if (durable) fdatasyncSync(this.fd);
    } catch (error) {
      this.failure = this.writeFailed(error);
      return;
    }
    if (durable) this.synced();
  }

  private synced(): void {
    if (this.unsynced.length === 0) return;
    const done = this.unsynced;
    this.unsynced = [];
    for (const { event, seq, line } of done) for (const listener of this.durableListeners) listener(event, seq, line);
  }

  private flushSoon(): void {
    if (this.flushQueued) return;
    this.flushQueued = true;
    setImmediate(() => {
      this.flushQueued = false;
      if (!this.closed) this.flush(false);
    });
  }

  /** Makes everything durable and releases the run; never throws over an error already on its way. */
  close(): void {
    if (this.closed) return;
    this.flush(false);
    this.closed = true;
    try {
      fsyncSync(this.fd);
      if (this.failure === undefined) this.synced();
    } catch {
      // A failed write already said so; a failed final sync leaves at most a torn tail, which the next open repairs.
    } finally {
      closeSync(this.fd);
      this.lock.release();
    }
  }

  private writeFailed(error: unknown): JournalError {
    const code = codeOf(error);
    const why =
      code === 'ENOSPC'
        ? 'ENOSPC: the disk is full'
        : code === 'EIO'
          ? 'EIO: the disk reported an I/O error'
          : messageOf(error);
    return new JournalError(
      `journal write failed (${why}): ${this.path}; the run stopped before its next step. Free the disk, then continue with: drillbook run --resume ${basename(this.dir)}`,
      { cause: error },
    );
  }
}

/** write(2) may write part of a buffer (a disk filling up): write the rest, or throw the error that stops it. */
function writeAll(fd: number, data: Buffer): void {
  let offset = 0;
  while (offset < data.length) offset += writeSync(fd, data, offset, data.length - offset);
}

/**
 * How many leading bytes of a journal are intact lines: everything up to the last newline, less a last line
 * that does not parse. What follows is a torn tail (the process died, or the disk filled, mid-write): reading
 * ignores it and opening for append cuts it off, so both see the same events.
 */
export function intactLength(content: Buffer): number {
  const end = content.lastIndexOf(0x0a) + 1;
  if (end === 0) return 0;
  const start = end < 2 ? 0 : content.lastIndexOf(0x0a, end - 2) + 1;
  const last = content.subarray(start, end).toString('utf8');
  if (last.trim() === '') return end;
  try {
    JSON.parse(last);
    return end;
  } catch {
    return start;
  }
}

/** How many events a journal's intact part holds: its non-blank lines, as readJournal counts them. */
export function countLines(content: Buffer): number {
  let n = 0;
  for (const line of content.subarray(0, intactLength(content)).toString('utf8').split('\n'))
    if (line.trim() !== '') n += 1;
  return n;
}

/** Reads a journal; a torn tail (see intactLength) is ignored, a corrupt line before it is an error. */
export function readJournal(file: string): JournalEvent[] {
  const content = readFileSync(file);
  const lines = content.subarray(0, intactLength(content)).toString('utf8').split('\n');
  const events: JournalEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new JournalError(`${file}:${i + 1}: corrupt journal line`, { cause: error });
    }
    const problem = eventProblem(value);
    if (problem) throw new JournalError(`${file}:${i + 1}: ${problem}`);
    events.push(value as JournalEvent);
  });
  return events;
}
