import { existsSync, readFileSync } from 'node:fs';
import type { JournalEvent } from '../journal/events.js';
import { readJournal } from '../journal/journal.js';
import { textSha256 } from '../model/text-hash.js';
import { runRowOf, type RunRow } from './run-row.js';
import type { NumberedLine, RunbookRow } from './ship.js';

/** A run's journal as the store keys it: each event's line with its number (1-based), as Journal.onDurable numbers them. */
export function numberedLines(events: JournalEvent[]): NumberedLine[] {
  return events.map((event, i) => ({ seq: i + 1, line: JSON.stringify(event) }));
}

/** The row of a run, from its whole journal as it is on disk now. */
export function runRowFromJournal(journalPath: string): RunRow {
  return runRowOf(readJournal(journalPath));
}

/**
 * The runbook a run started with, and its text when the file still hashes to the run's sha256 (a file
 * changed or moved since is stored without text: the store never pairs a hash with text it does not match).
 */
export function runbookRowOf(events: JournalEvent[]): RunbookRow | undefined {
  const started = events.find((e) => e.type === 'run-started');
  if (started?.type !== 'run-started') return undefined;
  const { sha256, name, version, file } = started.runbook;
  let source: string | null = null;
  try {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (textSha256(text) === sha256) source = text;
    }
  } catch {
    source = null;
  }
  return { sha256, name, version, file, source };
}
