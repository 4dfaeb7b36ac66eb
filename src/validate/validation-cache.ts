import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { lazySource, readSourceText } from '../load/load-source.js';
import { sortDiagnostics } from '../model/diagnostic.js';
import type { Runbook } from '../model/runbook.js';
import { validateText, type ValidationResult } from './validate-runbook.js';

/** Set by the build (scripts/build.mjs) to a hash of the sources and the schema; absent in dev runs. */
declare const __DRILLBOOK_BUILD_ID__: string | undefined;

/** Entries kept; the oldest beyond this are removed when a new one is written. */
const MAX_ENTRIES = 32;

/**
 * Where verdicts are kept: $DRILLBOOK_CACHE (`off` disables), else $XDG_CACHE_HOME/drillbook or
 * ~/.cache/drillbook. Undefined (no cache) when this is not a built CLI: tests that import the
 * sources always parse.
 */
export function cacheDirectory(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (typeof __DRILLBOOK_BUILD_ID__ !== 'string') return undefined;
  const chosen = env.DRILLBOOK_CACHE;
  if (chosen === 'off') return undefined;
  if (chosen !== undefined && chosen !== '') return chosen;
  return join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'drillbook');
}

/**
 * validateFile, remembering valid runbooks. Parsing YAML with source positions is most of what a
 * command on an unchanged runbook costs (docs/performance.md), so the verdict of a valid file is
 * kept under the hash of its exact text and of this build: any edit to the file, the schema or
 * drillbook itself misses. Invalid files are never cached, so every error is found afresh with its
 * position. A cache that cannot be read or written is ignored.
 */
export function validateFileCached(file: string, dir = cacheDirectory()): ValidationResult {
  const read = readSourceText(file);
  if (!read.ok) return { ok: false, errors: sortDiagnostics(read.errors) };
  const { text } = read;
  if (dir === undefined || typeof __DRILLBOOK_BUILD_ID__ !== 'string') return validateText(file, text);

  const entry = join(
    dir,
    `${createHash('sha256').update(__DRILLBOOK_BUILD_ID__).update('\0').update(text).digest('hex')}.json`,
  );
  const hit = readEntry(entry);
  if (hit !== undefined) return { ok: true, runbook: hit, source: lazySource(file, text, hit) };
  const result = validateText(file, text);
  if (result.ok) writeEntry(dir, entry, result.runbook);
  return result;
}

function readEntry(entry: string): Runbook | undefined {
  try {
    return JSON.parse(readFileSync(entry, 'utf8')) as Runbook;
  } catch {
    return undefined;
  }
}

/** Written whole then renamed, so a concurrent reader finds a complete entry or none. */
function writeEntry(dir: string, entry: string, runbook: Runbook): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const partial = `${entry}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify(runbook), { mode: 0o600 });
    renameSync(partial, entry);
    prune(dir);
  } catch {
    // A read-only or full disk costs only the speed-up.
  }
}

function prune(dir: string): void {
  const entries = readdirSync(dir).filter((f) => f.endsWith('.json'));
  if (entries.length <= MAX_ENTRIES) return;
  const byAge = entries.map((f) => ({ f, t: statSync(join(dir, f)).mtimeMs })).sort((a, b) => b.t - a.t);
  for (const { f } of byAge.slice(MAX_ENTRIES)) rmSync(join(dir, f), { force: true });
}
