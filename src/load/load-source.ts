import { readFileSync, statSync } from 'node:fs';
import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { locate } from './locate.js';
import { parseByIncident, type YamlOptions } from './parse-by-incident.js';
import { findSurprisingScalars } from './surprising-scalars.js';

/** Runbooks are hand-written documents; anything larger is a mistake or an attack. */
export const MAX_RUNBOOK_BYTES = 2 * 1024 * 1024;
/** Enough for any honest use of anchors; far below what a billion-laughs document needs. */
export const MAX_ALIAS_COUNT = 100;

export interface LoadedSource {
  file: string;
  text: string;
  value: unknown;
  /** Source position of a JSON path (see locate). */
  at: (pointer: string, key?: string) => { line: number; col: number };
}

export type LoadResult = { ok: true; source: LoadedSource } | { ok: false; errors: Diagnostic[] };

/** Reads a runbook's text, refusing files over the size cap before reading them. */
export function readSourceText(file: string): { ok: true; text: string } | { ok: false; errors: Diagnostic[] } {
  const fail = (message: string, hint?: string) => ({ ok: false as const, errors: [{ file, line: 1, col: 1, path: '', message, ...(hint ? { hint } : {}) }] });
  try {
    const size = statSync(file).size;
    if (size > MAX_RUNBOOK_BYTES) return fail(`file is ${size} bytes, over the ${MAX_RUNBOOK_BYTES}-byte limit for a runbook`, 'split it or remove generated content');
    return { ok: true, text: readFileSync(file, 'utf8') };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'file not found' : `cannot read file (${code ?? 'unknown error'})`);
  }
}

const YAML_OPTIONS: YamlOptions = { uniqueKeys: true, prettyErrors: false, strict: true };

/**
 * Parses a runbook's text. Every YAML problem, warnings included, is an error with a position.
 * A clean document is parsed one incident at a time (parse-by-incident.ts) and its positions are found
 * only if a later stage asks for one; anything else is parsed whole, as is the text behind a position.
 */
export function parseSource(file: string, text: string): LoadResult {
  const value = parseByIncident(text, YAML_OPTIONS, MAX_ALIAS_COUNT);
  return value === undefined ? parseWhole(file, text) : { ok: true, source: lazySource(file, text, value) };
}

/** A source whose positions are computed only if something asks for one (nothing does after validation). */
export function lazySource(file: string, text: string, value: unknown): LoadedSource {
  let parsed: LoadedSource | undefined;
  return {
    file,
    text,
    value,
    at: (pointer, key) => {
      if (parsed === undefined) {
        const loaded = parseWhole(file, text);
        if (!loaded.ok) return { line: 1, col: 1 };
        parsed = loaded.source;
      }
      return parsed.at(pointer, key);
    },
  };
}

function parseWhole(file: string, text: string): LoadResult {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { ...YAML_OPTIONS, lineCounter });
  const list = Array.isArray(docs) ? docs : [docs];
  const errors: Diagnostic[] = [];
  const at = (offset: number) => lineCounter.linePos(offset);
  if (list.length === 0) return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: 'file is empty', hint: 'a runbook starts with apiVersion: drillbook/v1' }] };
  if (list.length > 1) {
    const second = list[1]?.range[0] ?? 0;
    errors.push({ file, ...at(second), path: '', message: 'more than one YAML document in the file', hint: 'a runbook file holds exactly one document; remove the --- separator' });
  }
  const doc = list[0] as Document;
  for (const problem of [...doc.errors, ...doc.warnings]) {
    errors.push({ file, ...at(problem.pos[0]), path: '', message: yamlMessage(problem.code, problem.message), hint: yamlHint(problem.code) });
  }
  for (const s of findSurprisingScalars(doc)) {
    errors.push({ file, ...at(s.offset), path: '', message: `${s.written} is read by YAML as the number ${s.parsed}`, hint: `quote it ("${s.written}") if it is a version, id or code` });
  }
  if (errors.length > 0) return { ok: false, errors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const bomb = /excessive alias count/i.test(message);
    return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: bomb ? `too many alias expansions (more than ${MAX_ALIAS_COUNT})` : message, hint: bomb ? 'anchors and aliases that expand exponentially are refused' : undefined }] };
  }
  return { ok: true, source: { file, text, value, at: (pointer, key) => locate(doc, lineCounter, pointer, key) } };
}

function yamlMessage(code: string, message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  if (code === 'DUPLICATE_KEY') return `${first}: this key appears twice in the same mapping`;
  return first;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'DUPLICATE_KEY':
      return 'YAML would silently keep only the last value; remove or rename one';
    case 'TAG_RESOLVE_FAILED':
      return 'runbooks use no custom tags; remove the !tag';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation of this line against its parent';
    default:
      return undefined;
  }
}
