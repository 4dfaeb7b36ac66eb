import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { SecretMasker } from '../execute/secrets.js';
import type { EventBody, JournalEvent } from './events.js';

export class JournalError extends Error {
  override name = 'JournalError';
}

export type JournalListener = (event: JournalEvent) => void;

/**
 * Append-only JSONL journal. `append(e, {durable: true})` returns only after the event (and
 * every earlier one) is on disk, so a crash never loses a step that started.
 */
export class Journal {
  private readonly fd: number;
  private readonly listeners: JournalListener[] = [];
  private closed = false;

  private constructor(readonly dir: string, readonly startedAtMs: number, private readonly masker: SecretMasker) {
    try {
      mkdirSync(dir, { recursive: true });
      this.fd = openSync(join(dir, 'journal.jsonl'), 'a');
    } catch (error) {
      throw new JournalError(`cannot open journal in ${dir}: ${(error as Error).message}`);
    }
  }

  static open(dir: string, masker: SecretMasker, startedAtMs = Date.now()): Journal {
    return new Journal(dir, startedAtMs, masker);
  }

  get path(): string {
    return join(this.dir, 'journal.jsonl');
  }

  onEvent(listener: JournalListener): void {
    this.listeners.push(listener);
  }

  append(body: EventBody, options: { durable?: boolean } = {}): JournalEvent {
    const now = Date.now();
    const event = this.masker.maskDeep({ at: new Date(now).toISOString(), t: now - this.startedAtMs, ...body });
    try {
      writeSync(this.fd, `${JSON.stringify(event)}\n`);
      if (options.durable) fsyncSync(this.fd);
    } catch (error) {
      throw new JournalError(`journal write failed (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); stopping before the next step`);
    }
    for (const listener of this.listeners) listener(event);
    return event;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      fsyncSync(this.fd);
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Reads a journal; a torn last line (the process died mid-write) is ignored. */
export function readJournal(file: string): JournalEvent[] {
  const lines = readFileSync(file, 'utf8').split('\n');
  const events: JournalEvent[] = [];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      events.push(JSON.parse(line) as JournalEvent);
    } catch (error) {
      const last = lines.slice(i + 1).every((l) => l.trim() === '');
      if (!last) throw new JournalError(`${file}:${i + 1}: corrupt journal line`, { cause: error });
    }
  });
  return events;
}
