import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  parseAllDocuments,
  type Document,
  type DocumentOptions,
  type ParseOptions,
  type SchemaOptions,
} from 'yaml';
import { findDuplicateKeys } from './duplicate-keys.js';
import { incidentChunks } from './incident-chunks.js';
import { findSurprisingScalars } from './surprising-scalars.js';

export type YamlOptions = ParseOptions & DocumentOptions & SchemaOptions;

/**
 * A runbook's value, parsed one incident at a time: the rest of the document first, then each item of
 * `incidents` on its own. `yaml` holds the syntax tree of everything it parses at once (73 MB for a
 * 1.7 MB file), so this keeps peak memory to one incident's tree.
 *
 * The value is the whole document's whenever this returns one. Every piece must parse without an error or
 * a warning, and an alias resolves only to an anchor in its own piece (any other is an error here), which
 * is the anchor it would resolve to in the whole document. Duplicate keys cannot span pieces: the pieces
 * are sequence items, and the top-level mapping is parsed whole. Anything else (a problem, a shape this
 * does not split, a number that YAML would silently change) gives undefined, and the caller parses the
 * whole document, which reports every problem with its position.
 */
export function parseByIncident(
  text: string,
  options: YamlOptions,
  maxAliasCount: number,
): Record<string, unknown> | undefined {
  const chunks = incidentChunks(text);
  if (chunks === undefined) return undefined;
  const head = single(chunks.head, options);
  const incidentsKey = isMap(head?.contents)
    ? head.contents.items.find(
        (p) => isPair(p) && isScalar(p.key) && p.key.value === 'incidents' && p.key.range?.[0] === chunks.key,
      )
    : undefined;
  if (head === undefined || !isScalar(incidentsKey?.value) || incidentsKey.value.value !== null) return undefined;
  try {
    const value = head.toJS({ maxAliasCount }) as Record<string, unknown>;
    const incidents: unknown[] = [];
    for (const item of chunks.items) {
      const doc = single(item, options);
      if (doc === undefined || !isSeq(doc.contents) || doc.contents.items.length !== 1) return undefined;
      incidents.push(...(doc.toJS({ maxAliasCount }) as unknown[]));
    }
    value.incidents = incidents;
    return value;
  } catch {
    return undefined;
  }
}

/** The text's only document, if it has no error, no warning, no surprising number and no duplicate key. */
function single(text: string, options: YamlOptions): Document | undefined {
  const docs = parseAllDocuments(text, options);
  if (!Array.isArray(docs) || docs.length !== 1) return undefined;
  const doc = docs[0] as Document;
  if (
    doc.errors.length > 0 ||
    doc.warnings.length > 0 ||
    findSurprisingScalars(doc).length > 0 ||
    findDuplicateKeys(doc).length > 0
  )
    return undefined;
  return doc;
}
