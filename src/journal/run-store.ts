import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readdirSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { JournalError } from './journal-error.js';
import { EXIT } from '../model/errors.js';
import { messageOf, codeOf } from '../model/error-message.js';

/** Where runs live: $DRILLBOOK_HOME or .drillbook in the working directory. */
export function drillbookHome(): string {
  return process.env.DRILLBOOK_HOME ?? '.drillbook';
}

export function runsDir(): string {
  return join(drillbookHome(), 'runs');
}

/**
 * Sortable, readable and unique: 20261125-104512-INC-003-a1b2c3d4. Runs from many machines meet in one store:
 * 32 random bits make two runs of one incident in the same second collide about once in four billion pairs.
 */
export function newRunId(incidentId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${incidentId}-${randomBytes(4).toString('hex')}`;
}

/**
 * The run id a starter chose ($DRILLBOOK_RUN_ID, set by the service's worker so the id is known before the run
 * starts), else a new one. A given id must be newRunId's shape for this incident and not be used yet.
 */
export function runIdFor(incidentId: string, given = process.env.DRILLBOOK_RUN_ID): string {
  if (given === undefined || given === '') return newRunId(incidentId);
  const shape = /^\d{8}-\d{6}-(.+)-[0-9a-f]{8}$/.exec(given);
  if (shape?.[1] !== incidentId)
    throw new JournalError(
      `DRILLBOOK_RUN_ID "${given}" is not a run id of ${incidentId} (YYYYMMDD-HHMMSS-${incidentId}-xxxxxxxx)`,
      { exitCode: EXIT.usage },
    );
  if (existsSync(join(runsDir(), given)))
    throw new JournalError(`DRILLBOOK_RUN_ID "${given}" is already a run in ${runsDir()}`, { exitCode: EXIT.usage });
  return given;
}

/**
 * Every run with a journal, in the order the runs started (oldest first): by the run-started event's time, to the
 * millisecond, since two ids of the same second sort by their random suffix. `latest` is the last one.
 */
export function listRunIds(): string[] {
  const dir = runsDir();
  if (!existsSync(dir)) return [];
  const ids = readdirSync(dir).filter((name) => existsSync(join(dir, name, 'journal.jsonl')));
  const started = new Map(ids.map((id) => [id, startedAtMs(join(dir, id, 'journal.jsonl')) ?? idTimeMs(id)]));
  return ids.sort((a, b) => (started.get(a) ?? 0) - (started.get(b) ?? 0) || (a < b ? -1 : a > b ? 1 : 0));
}

/** The run-started event's `at` (the journal's first line), or undefined while it is not written or unreadable. */
function startedAtMs(journal: string): number | undefined {
  try {
    const line = firstLine(journal);
    if (line === undefined) return undefined;
    const event = JSON.parse(line) as { type?: unknown; at?: unknown };
    const at = event.type === 'run-started' && typeof event.at === 'string' ? Date.parse(event.at) : Number.NaN;
    return Number.isNaN(at) ? undefined : at;
  } catch {
    return undefined;
  }
}

const FIRST_LINE_LIMIT = 4 * 1024 * 1024;
/** One buffer for every journal's first read: listing a thousand runs allocates nothing per run. */
const chunk = Buffer.alloc(16 * 1024);

/** Reads up to the first newline only: listing runs must not read every journal whole. */
function firstLine(file: string): string | undefined {
  const fd = openSync(file, 'r');
  try {
    const parts: Buffer[] = [];
    let size = 0;
    while (size < FIRST_LINE_LIMIT) {
      const n = readSync(fd, chunk, 0, chunk.length, size);
      if (n === 0) return undefined;
      const newline = chunk.subarray(0, n).indexOf(0x0a);
      if (newline >= 0 && parts.length === 0) return chunk.toString('utf8', 0, newline);
      parts.push(Buffer.from(chunk.subarray(0, newline >= 0 ? newline : n)));
      size += n;
      if (newline >= 0) return Buffer.concat(parts).toString('utf8');
    }
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** The second an id was made in (20261125-104512-...), for a run whose journal has no start yet. */
function idTimeMs(id: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})-(\d{2})(\d{2})(\d{2})-/.exec(id);
  return m
    ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]))
    : undefined;
}

/** Writes a file whole or not at all (a temporary file renamed over it): readers never see half of it. */
export function writeWhole(file: string, content: string | Uint8Array): void {
  const tmp = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, content);
    renameSync(tmp, file);
  } catch (error) {
    rmSync(tmp, { force: true });
    throw error;
  }
}

/** Why a write failed, in words: a full disk is said as such. */
export function writeFailure(error: unknown): string {
  return codeOf(error) === 'ENOSPC' ? 'ENOSPC: the disk is full' : messageOf(error);
}

/** writeWhole for what sits beside a run's journal: a failure says the journal still holds the run. */
export function writeFileAtomic(file: string, content: string): void {
  try {
    writeWhole(file, content);
  } catch (error) {
    throw new JournalError(
      `cannot write ${file} (${writeFailure(error)}); the journal beside it holds the run: free the disk, then rebuild the report with drillbook report`,
      { cause: error },
    );
  }
}
