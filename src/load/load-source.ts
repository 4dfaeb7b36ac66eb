import { LineCounter, parseAllDocuments, type Document } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import { decodeRunbook } from './decode-text.js';
import { DUPLICATE_KEY, findDuplicateKeys } from './duplicate-keys.js';
import { locate, positionAt } from './locate.js';
import { parseByIncident, type YamlOptions } from './parse-by-incident.js';
import { readCapped } from './read-capped.js';
import { structureProblem, TOO_DEEP, valueTooDeep } from './structure-limits.js';
import { findSurprisingScalars } from './surprising-scalars.js';
import { messageOf } from '../model/error-message.js';

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

/**
 * Reads a runbook's text: at most the size cap from any kind of file (pipes and devices included, see
 * read-capped.ts), and only if it is UTF-8 without a NUL byte (see decode-text.ts).
 */
export function readSourceText(file: string): { ok: true; text: string } | { ok: false; errors: Diagnostic[] } {
  const read = readCapped(file, MAX_RUNBOOK_BYTES);
  if (!read.ok)
    return {
      ok: false,
      errors: [{ file, line: 1, col: 1, path: '', message: read.message, ...(read.hint ? { hint: read.hint } : {}) }],
    };
  const decoded = decodeRunbook(read.bytes);
  if (!decoded.ok)
    return {
      ok: false,
      errors: decoded.problems.map((p) => ({
        file,
        line: p.line,
        col: p.col,
        path: '',
        message: p.message,
        hint: p.hint,
      })),
    };
  return { ok: true, text: decoded.text };
}

/** Duplicate keys are found by findDuplicateKeys (linear), not by the parser's quadratic check. */
const YAML_OPTIONS: YamlOptions = { uniqueKeys: false, prettyErrors: false, strict: true };

/**
 * Parses a runbook's text. Every YAML problem, warnings included, is an error with a position.
 * A clean document is parsed one incident at a time (parse-by-incident.ts) and its positions are found
 * only if a later stage asks for one; anything else is parsed whole, as is the text behind a position.
 */
export function parseSource(file: string, text: string): LoadResult {
  const shape = structureProblem(text);
  if (shape)
    return {
      ok: false,
      errors: [{ file, ...positionAt(text, shape.offset), path: '', message: shape.message, hint: shape.hint }],
    };
  let loaded: LoadResult;
  try {
    const value = parseByIncident(text, YAML_OPTIONS, MAX_ALIAS_COUNT);
    loaded = value === undefined ? parseWhole(file, text) : { ok: true, source: lazySource(file, text, value) };
  } catch (error) {
    // The text scan bounds nesting before parsing; this is the backstop if the parser still recurses too deep.
    if (!(error instanceof RangeError)) throw error;
    return {
      ok: false,
      errors: [
        {
          file,
          line: 1,
          col: 1,
          path: '',
          message: 'nested too deeply for the YAML parser',
          hint: 'flatten the document',
        },
      ],
    };
  }
  return loaded.ok ? withinDepth(loaded.source) : loaded;
}

/** Nesting that only indentation builds passes the text scan; the parsed value is checked here. */
function withinDepth(source: LoadedSource): LoadResult {
  const pointer = valueTooDeep(source.value);
  if (pointer === undefined) return { ok: true, source };
  return { ok: false, errors: [{ file: source.file, ...source.at(pointer), path: pointer, ...TOO_DEEP }] };
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
  const doc = list[0];
  if (!doc) {
    const hint = 'a runbook starts with apiVersion: drillbook/v1';
    return { ok: false, errors: [{ file, line: 1, col: 1, path: '', message: 'file is empty', hint }] };
  }
  const errors = documentProblems(list, (offset) => ({ file, ...lineCounter.linePos(offset), path: '' }));
  if (errors.length > 0) return { ok: false, errors };
  let value: unknown;
  try {
    value = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    return { ok: false, errors: [{ file, line: 1, col: 1, path: '', ...conversionProblem(error) }] };
  }
  return { ok: true, source: { file, text, value, at: (pointer, key) => locate(doc, lineCounter, pointer, key) } };
}

type Place = Pick<Diagnostic, 'file' | 'line' | 'col' | 'path'>;

/** Everything wrong with the parsed text, each at its place: a second document, YAML errors and warnings, duplicate keys, surprising numbers. */
function documentProblems(list: Document[], at: (offset: number) => Place): Diagnostic[] {
  const errors: Diagnostic[] = [];
  const doc = list[0] as Document;
  const second = list[1];
  if (second) {
    errors.push({
      ...at(second.range?.[0] ?? 0),
      message: 'more than one YAML document in the file',
      hint: 'a runbook file holds exactly one document; remove the --- separator',
    });
  }
  for (const problem of [...doc.errors, ...doc.warnings]) {
    const message = yamlMessage(problem.code, problem.message);
    errors.push({ ...at(problem.pos[0]), message, hint: yamlHint(problem.code) });
  }
  for (const offset of findDuplicateKeys(doc)) errors.push({ ...at(offset), ...DUPLICATE_KEY });
  for (const s of findSurprisingScalars(doc)) {
    errors.push({
      ...at(s.offset),
      message: `${s.written} is read by YAML as the number ${s.parsed}`,
      hint: `quote it ("${s.written}") if it is a version, id or code`,
    });
  }
  return errors;
}

/** A document that parsed but cannot become a value: an alias bomb, said as such. */
function conversionProblem(error: unknown): Pick<Diagnostic, 'message' | 'hint'> {
  const message = messageOf(error);
  if (!/excessive alias count/i.test(message)) return { message, hint: undefined };
  return {
    message: `too many alias expansions (more than ${MAX_ALIAS_COUNT})`,
    hint: 'anchors and aliases that expand exponentially are refused',
  };
}

function yamlMessage(code: string, message: string): string {
  const first = (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
  return first;
}

function yamlHint(code: string): string | undefined {
  switch (code) {
    case 'TAG_RESOLVE_FAILED':
      return 'runbooks use no custom tags; remove the !tag';
    case 'BAD_INDENT':
    case 'MISSING_CHAR':
      return 'check the indentation of this line against its parent';
    default:
      return undefined;
  }
}
