import { UsageError } from '../model/errors.js';

/** Parses repeated `--var key=value` options. */
export function parseVarOptions(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of values) {
    const eq = item.indexOf('=');
    if (eq <= 0) throw new UsageError(`--var expects KEY=VALUE, got "${item}"`);
    out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}

/** Commander's collector for a repeatable option: every value, in the order given. */
export function collectVar(value: string, previous: string[]): string[] {
  return [...previous, value];
}
