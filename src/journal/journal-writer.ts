import type { EventBody, JournalEvent } from './events.js';

/** What the walk needs of a journal: append an event, durably when asked. The file journal and a test's in-memory one both fit. */
export interface JournalWriter {
  append(body: EventBody, options?: { durable?: boolean }): JournalEvent;
}
