import type { Scalar, VarTree } from '../model/runbook.js';

/** Flattens nested environment variables into dotted names: {db: {port: 5432}} -> {"db.port": "5432"}. */
export function flattenVars(tree: VarTree | undefined, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree ?? {})) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (isScalar(value)) out.set(name, String(value));
    else for (const [k, v] of flattenVars(value, name)) out.set(k, v);
  }
  return out;
}

function isScalar(value: Scalar | VarTree): value is Scalar {
  return typeof value !== 'object';
}
