import { parseSource, readSourceText, type LoadedSource } from '../load/load-source.js';
import { sortDiagnostics, type Diagnostic } from '../model/diagnostic.js';
import type { Runbook } from '../model/runbook.js';
import { approvals } from './rules/approvals.js';
import { budgetsFitRto } from './rules/budgets.js';
import { checkOptions } from './rules/check-options.js';
import { commandRules } from './rules/commands.js';
import { communications } from './rules/communications.js';
import { collect, type Rule } from './rules/context.js';
import { references } from './rules/references.js';
import { uniqueIds } from './rules/unique-ids.js';
import { checkSchema } from './schema.js';

/** Semantic rules run only on schema-valid documents, so each can trust the shape it reads. */
const RULES: Rule[] = [uniqueIds, budgetsFitRto, references, commandRules, communications, checkOptions, approvals];

export type ValidationResult =
  { ok: true; runbook: Runbook; source: LoadedSource } | { ok: false; errors: Diagnostic[] };

/** load -> schema -> semantic rules. All problems of a stage are reported at once, sorted by position. */
export function validateFile(file: string): ValidationResult {
  const read = readSourceText(file);
  return read.ok ? validateText(file, read.text) : { ok: false, errors: sortDiagnostics(read.errors) };
}

/** A runbook's text already read: parse -> schema -> semantic rules. */
export function validateText(file: string, text: string): ValidationResult {
  const loaded = parseSource(file, text);
  return loaded.ok ? validateSource(loaded.source) : { ok: false, errors: sortDiagnostics(loaded.errors) };
}

export function validateSource(source: LoadedSource): ValidationResult {
  const problems = checkSchema(source.value);
  if (problems.length > 0) {
    const errors = problems.map((p) => ({
      file: source.file,
      ...source.at(p.pointer, p.key),
      path: p.pointer,
      message: p.message,
      ...(p.hint ? { hint: p.hint } : {}),
    }));
    return { ok: false, errors: sortDiagnostics(errors) };
  }
  const runbook = source.value as Runbook;
  const errors = collect(runbook, source.file, source.at, RULES);
  return errors.length > 0 ? { ok: false, errors: sortDiagnostics(errors) } : { ok: true, runbook, source };
}
