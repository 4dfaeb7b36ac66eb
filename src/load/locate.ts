import { isMap, isNode, isPair, isScalar, type Document, type LineCounter, type Node } from 'yaml';

export interface Position {
  line: number;
  col: number;
}

/** JSON pointer (`/incidents/0/id`) to path segments, numbers for array indices. */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
}

/**
 * Maps a JSON path back to a source position. The deepest node that exists is used, so a path
 * into a missing key points at its parent. With `key`, points at that key of the map (for
 * unknown keys, the key itself is the problem).
 */
export function locate(doc: Document, lineCounter: LineCounter, pointer: string, key?: string): Position {
  const segments = pointerSegments(pointer);
  let node: unknown = doc.contents;
  for (const segment of segments) {
    const next: unknown =
      isNode(node) && 'get' in node
        ? (node as unknown as { get(k: unknown, keep: true): unknown }).get(segment, true)
        : undefined;
    if (!isNode(next)) break;
    node = next;
  }
  if (key !== undefined && isMap(node)) {
    const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && p.key.value === key);
    if (pair && isNode(pair.key)) return positionOf(pair.key, lineCounter);
  }
  return isNode(node) ? positionOf(node, lineCounter) : { line: 1, col: 1 };
}

function positionOf(node: Node, lineCounter: LineCounter): Position {
  const offset = node.range?.[0] ?? 0;
  return lineCounter.linePos(offset);
}

/** Line and column (1-based, UTF-16 units as the parser counts) of an offset in a text. */
export function positionAt(text: string, offset: number): Position {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: offset - lineStart + 1 };
}
