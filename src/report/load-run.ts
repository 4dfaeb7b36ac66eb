import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JournalError, readJournal } from '../journal/journal.js';
import { listRunIds, runsDir } from '../journal/run-store.js';
import { UsageError } from '../model/errors.js';
import { buildReport, type Report } from './build-report.js';
import type { JournalEvent } from '../journal/events.js';
import { messageOf } from '../model/error-message.js';

/** A run's id from what the user typed: `latest` (or nothing), an exact id, or a prefix of exactly one id. */
export function resolveRunId(requested: string | undefined): string {
  const ids = listRunIds();
  if (ids.length === 0) throw new UsageError(`no runs in ${runsDir()} yet; start one with: drillbook run INC-ID`);
  if (requested === undefined || requested === 'latest') return ids[ids.length - 1] as string;
  if (ids.includes(requested)) return requested;
  const matches = ids.filter((id) => id.startsWith(requested));
  if (matches.length === 1) return matches[0] as string;
  const recent = ids.slice(-5).reverse().join(', ');
  if (matches.length > 1)
    throw new UsageError(
      `run id "${requested}" matches ${matches.length} runs; give more of it (recent runs: ${recent})`,
    );
  throw new UsageError(`no run "${requested}" in ${runsDir()}; recent runs: ${recent}`);
}

/** The journal of one run, read as events; an unreadable journal is a bad input, not a crash. */
export function readRunEvents(runId: string): JournalEvent[] {
  const file = join(runsDir(), runId, 'journal.jsonl');
  if (!existsSync(file)) throw new UsageError(`no run "${runId}" in ${runsDir()}`);
  try {
    return readJournal(file);
  } catch (error) {
    throw new UsageError(
      `cannot read the journal of run ${runId}: ${error instanceof JournalError ? error.message : messageOf(error)}`,
    );
  }
}

/** A report rebuilt from the journal (never from report.json, which a crash may have left behind). */
export function loadReport(runId: string): Report {
  const events = readRunEvents(runId);
  try {
    return buildReport(events);
  } catch (error) {
    throw new UsageError(`run ${runId}: ${messageOf(error)}`);
  }
}
