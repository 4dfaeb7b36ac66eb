import { isScalar, visit, type Document } from 'yaml';

/**
 * Plain scalars that YAML silently turns into something other than what was written:
 * `00123` becomes 123, `1.10` becomes 1.1, `1e3` becomes 1000. They are almost always a
 * version, id or code that lost its leading zeros, so they are rejected with a hint to quote.
 */
export function findSurprisingScalars(doc: Document): { offset: number; written: string; parsed: string }[] {
  const found: { offset: number; written: string; parsed: string }[] = [];
  visit(doc, {
    Scalar(_key, node) {
      if (!isScalar(node) || node.type !== 'PLAIN' || typeof node.value !== 'number') return;
      const written = node.source ?? '';
      const parsed = String(node.value);
      if (written !== parsed && !/^-?\d+\.\d*[1-9]$/.test(written)) {
        found.push({ offset: node.range?.[0] ?? 0, written, parsed });
      }
    },
  });
  return found;
}
