import type { Diagnostic } from '../../model/diagnostic.js';
import type { Runbook } from '../../model/runbook.js';

/** What a semantic rule sees: the schema-valid runbook and a way to report a problem at a path. */
export interface RuleContext {
  runbook: Runbook;
  report: (pointer: string, message: string, hint?: string, key?: string) => void;
}

export type Rule = (ctx: RuleContext) => void;

export function collect(
  runbook: Runbook,
  file: string,
  at: (pointer: string, key?: string) => { line: number; col: number },
  rules: Rule[],
): Diagnostic[] {
  const found: Diagnostic[] = [];
  const ctx: RuleContext = {
    runbook,
    report: (pointer, message, hint, key) => {
      found.push({ file, ...at(pointer, key), path: pointer, message, ...(hint ? { hint } : {}) });
    },
  };
  for (const rule of rules) rule(ctx);
  return found;
}
