import { closeSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../model/errors.js';
import { JournalError } from './journal-error.js';
import { messageOf, codeOf } from '../model/error-message.js';

export interface RunLock {
  release(): void;
}

/**
 * One writer per run: `journal.lock` in the run's folder holds the writer's pid, created with O_EXCL so that
 * of two processes only one gets it. A lock whose pid is no longer alive (a crash, kill -9) is stale and taken
 * over; the takeover itself is guarded by a second O_EXCL file, so two processes cannot both take it over.
 */
export function acquireRunLock(dir: string, runId: string): RunLock {
  const file = join(dir, 'journal.lock');
  if (!tryCreate(file)) {
    const holder = holderOf(file);
    if (holder !== undefined && isAlive(holder)) throw inProgress(runId, holder, file);
    takeOverStale(file, holder, runId);
  }
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    process.off('exit', release);
    // Only our own lock: never remove one another process took over after us.
    if (holderOf(file) === process.pid) unlinkQuietly(file);
  };
  // process.exit() (a second Ctrl-C) skips finally blocks; the lock goes with the process all the same.
  process.on('exit', release);
  return { release };
}

/**
 * The pid of the live process writing the run in `dir`, if one is: a run whose lock is held by a live process is
 * in progress; one without a lock, or whose lock's process is gone (a crash, kill -9), is not.
 */
export function runLockHolder(dir: string): number | undefined {
  const holder = holderOf(join(dir, 'journal.lock'));
  return holder !== undefined && isAlive(holder) ? holder : undefined;
}

function takeOverStale(file: string, stalePid: number | undefined, runId: string): void {
  const guard = `${file}.takeover`;
  if (!tryCreate(guard)) {
    const guardHolder = holderOf(guard);
    if (guardHolder !== undefined && isAlive(guardHolder)) throw inProgress(runId, guardHolder, file);
    unlinkQuietly(guard);
    if (!tryCreate(guard)) throw inProgress(runId, holderOf(guard), file);
  }
  try {
    // Another process may have taken the stale lock over between our read and our guard.
    const now = holderOf(file);
    if (now !== stalePid && now !== undefined && isAlive(now)) throw inProgress(runId, now, file);
    unlinkQuietly(file);
    if (!tryCreate(file)) throw inProgress(runId, holderOf(file), file);
  } finally {
    unlinkQuietly(guard);
  }
}

/** Creates the file with our pid, atomically; false if it exists. */
function tryCreate(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx');
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return false;
    throw new JournalError(`cannot lock the run (${file}): ${messageOf(error)}`, { cause: error });
  }
  try {
    writeSync(fd, `${process.pid}\n`);
  } catch (error) {
    unlinkQuietly(file);
    throw new JournalError(`cannot lock the run (${file}): ${messageOf(error)}`, { cause: error });
  } finally {
    closeSync(fd);
  }
  return true;
}

function holderOf(file: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, under another user.
    return codeOf(error) === 'EPERM';
  }
}

function inProgress(runId: string, pid: number | undefined, file: string): JournalError {
  const who = pid !== undefined ? `process ${pid}` : 'another process';
  return new JournalError(
    `run ${runId} is in progress: ${who} is writing it (${file}); wait for it to finish or stop it, then resume`,
    { exitCode: EXIT.usage },
  );
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone
  }
}
