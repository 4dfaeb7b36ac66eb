import { readdirSync, readFileSync, statSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { runsDir, writeWhole } from '../journal/run-store.js';
import { messageOf } from '../model/error-message.js';
import type { Report } from './build-report.js';
import type { HistoryRun } from './build-history.js';
import { drillbookBuild } from '../model/version.js';
import { runLockHolder } from '../journal/run-lock.js';

/**
 * What history needs of a run, kept beside its journal (history.json) with the journal's size and modification
 * time when it was judged: history over hundreds of runs reads these small files instead of folding every journal.
 * A journal that changed since (a resume appended to it), a summary of another format or drillbook build, or
 * one that cannot be read is judged again from the journal, which stays the only source of truth.
 */
const FILE = 'history.json';
const FORMAT = 1;

interface Remembered {
  format: number;
  drillbook: string;
  journal: { bytes: number; mtimeMs: number };
  run: HistoryRun;
}

export function historyRunOf(r: Report): HistoryRun {
  return {
    runId: r.runId,
    mode: r.mode,
    startedAt: r.startedAt,
    runbook: { name: r.runbook.name, file: r.runbook.file },
    incident: { id: r.incident.id, title: r.incident.title },
    verdict: r.verdict,
  };
}

/**
 * Every run as history counts it (history orders them by start); runs whose journal cannot be read are listed, not
 * fatal. Only runs without a current summary load the journal reader and the report builder. `live`: the runs
 * whose lock a live process holds (src/journal/run-lock.ts), in progress now and not judged yet.
 */
export async function loadHistoryRuns(): Promise<{
  runs: HistoryRun[];
  unreadable: { runId: string; reason: string }[];
  live: Set<string>;
}> {
  const runs: HistoryRun[] = [];
  const unreadable: { runId: string; reason: string }[] = [];
  const live = new Set<string>();
  for (const runId of runIdsOnDisk()) {
    const dir = join(runsDir(), runId);
    const journal = journalStats(dir);
    if (journal === undefined) continue;
    if (runLockHolder(dir) !== undefined) live.add(runId);
    const known = remembered(dir, journal);
    if (known) {
      runs.push(known);
      continue;
    }
    try {
      const { loadReport } = await import('./load-run.js');
      const run = historyRunOf(loadReport(runId));
      rememberHistoryRun(dir, run);
      runs.push(run);
    } catch (error) {
      unreadable.push({ runId, reason: messageOf(error) });
    }
  }
  return { runs, unreadable, live };
}

function runIdsOnDisk(): string[] {
  try {
    return readdirSync(runsDir()).sort();
  } catch {
    return [];
  }
}

function journalStats(dir: string): Stats | undefined {
  try {
    return statSync(join(dir, 'journal.jsonl'));
  } catch {
    return undefined;
  }
}

function remembered(dir: string, journal: Stats): HistoryRun | undefined {
  try {
    const r = JSON.parse(readFileSync(join(dir, FILE), 'utf8')) as Remembered;
    const same =
      r.format === FORMAT &&
      r.drillbook === drillbookBuild &&
      r.journal.bytes === journal.size &&
      r.journal.mtimeMs === journal.mtimeMs;
    return same ? r.run : undefined;
  } catch {
    return undefined;
  }
}

/** Keeps a run's history summary beside its journal; best effort: a read-only folder only costs the next read. */
export function rememberHistoryRun(dir: string, run: HistoryRun): void {
  try {
    const journal = statSync(join(dir, 'journal.jsonl'));
    const content: Remembered = {
      format: FORMAT,
      drillbook: drillbookBuild,
      journal: { bytes: journal.size, mtimeMs: journal.mtimeMs },
      run,
    };
    writeWhole(join(dir, FILE), `${JSON.stringify(content)}\n`);
  } catch {
    // The journal still holds the run; history judges it from there next time.
  }
}
