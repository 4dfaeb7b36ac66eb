import { isScalar, visit, type Document } from 'yaml';

export const DUPLICATE_KEY = {
  message: 'Map keys must be unique: this key appears twice in the same mapping',
  hint: 'YAML would silently keep only the last value; remove or rename one',
} as const;

/**
 * Offsets of keys that repeat an earlier key of the same mapping. The parser's own check (`uniqueKeys`)
 * compares every key with every earlier one: a mapping of 124,000 keys took minutes. This is one set per
 * mapping. Keys compare as YAML does for runbooks: scalars by value and type, anything else by its text.
 */
export function findDuplicateKeys(doc: Document): number[] {
  const found: number[] = [];
  visit(doc, {
    Map(_key, map) {
      const items = map.items;
      if (items.length < 2) return;
      const ids = items.map((pair) => keyId(pair.key));
      // Most mappings are small: comparing pairs is cheaper there than building a set.
      const seen = ids.length > 16 ? new Set<string>() : undefined;
      ids.forEach((id, i) => {
        const repeated = seen ? seen.has(id) : ids.indexOf(id) < i;
        if (repeated) found.push(offsetOf(items[i]?.key));
        seen?.add(id);
      });
    },
  });
  return found;
}

function keyId(key: unknown): string {
  return isScalar(key) ? `${typeof key.value}:${String(key.value)}` : `node:${String(key)}`;
}

function offsetOf(key: unknown): number {
  return isScalar(key) ? (key.range?.[0] ?? 0) : 0;
}
