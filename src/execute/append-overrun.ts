import type { EventBody } from '../journal/events.js';
import type { JournalWriter } from '../journal/journal-writer.js';

/**
 * An overrun found by a timer, journaled durably at once: it is on disk (and so in the store and the live
 * streams) the moment it happens, not when the running step ends. A journal that cannot write keeps its
 * failure and throws it from the next durable append, which comes before any further step, so a timer
 * never throws it out of the event loop.
 */
export function appendOverrun(journal: JournalWriter, body: Extract<EventBody, { type: 'overrun' }>): void {
  try {
    journal.append(body, { durable: true });
  } catch {
    // See above: the walk meets the failure at its next durable append.
  }
}
