import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../journal/run-store.js';
import { GENERATED_MARKER } from './render-input.js';
import type { RenderedFile } from './render-documents.js';

/** How an output folder differs from what the runbook renders. Names are relative to the folder. */
export interface OutputDiff {
  changed: string[];
  missing: string[];
  unchanged: string[];
  /** Generated files in the folder that the runbook no longer produces (an incident was removed). */
  stale: string[];
}

export function diffOutput(dir: string, files: RenderedFile[], findStale: boolean): OutputDiff {
  const diff: OutputDiff = { changed: [], missing: [], unchanged: [], stale: [] };
  for (const file of files) {
    const path = join(dir, file.name);
    if (!existsSync(path)) diff.missing.push(file.name);
    else if (readFileSync(path, 'utf8') === file.content) diff.unchanged.push(file.name);
    else diff.changed.push(file.name);
  }
  if (findStale && existsSync(dir)) {
    const produced = new Set(files.map((f) => f.name));
    diff.stale = readdirSync(dir)
      .filter((name) => /\.(md|html)$/.test(name) && !produced.has(name) && statSync(join(dir, name)).isFile())
      .filter((name) => readFileSync(join(dir, name), 'utf8').slice(0, 2000).includes(GENERATED_MARKER))
      .sort();
  }
  return diff;
}

/**
 * Writes what changed, each file atomically (a reader never sees half a document), and removes stale
 * generated files. Everything is rendered before the first write, so a rendering error writes nothing.
 */
export function writeOutput(dir: string, files: RenderedFile[], diff: OutputDiff): void {
  mkdirSync(dir, { recursive: true });
  const toWrite = new Set([...diff.changed, ...diff.missing]);
  for (const file of files) if (toWrite.has(file.name)) writeFileAtomic(join(dir, file.name), file.content);
  for (const name of diff.stale) rmSync(join(dir, name));
}
