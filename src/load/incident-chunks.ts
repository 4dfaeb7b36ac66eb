/**
 * Where a runbook's `incidents:` sequence lies in its text, found line by line without parsing, so that
 * each incident can be parsed on its own (see parse-by-incident.ts).
 *
 * Only the plain shape is recognised: one column-0 `incidents:` key with nothing after it but a comment,
 * then a block sequence whose items start with `-` at one indentation. Anything else (directives, a flow
 * sequence, a line indented less than the items but not at column 0) gives undefined, and the caller parses
 * the whole document instead. Lines that only look like item starts (inside a quoted scalar, say) are
 * caught later: the pieces then fail to parse, and the whole document is parsed.
 */
export interface IncidentChunks {
  /** Offset of the `incidents` key. */
  key: number;
  /** The text without the sequence's items: the key stays, with no value. */
  head: string;
  /** One text per item, each starting with its `-` line; together they are the sequence's text. */
  items: string[];
}

interface Line {
  start: number;
  text: string;
}

export function incidentChunks(text: string): IncidentChunks | undefined {
  const lines = splitLines(text);
  if (lines.some((l) => l.text.startsWith('%'))) return undefined;
  const keys = lines.filter((l) => /^incidents:[ \t]*(#.*)?\r?$/.test(l.text));
  if (keys.length !== 1) return undefined;
  const key = keys[0] as Line;

  const starts: number[] = [];
  let indent: number | undefined;
  let end = text.length;
  for (const line of lines.slice(lines.indexOf(key) + 1)) {
    if (/^[ \t]*(#.*)?\r?$/.test(line.text)) continue;
    const lineIndent = /^ */.exec(line.text)?.[0].length ?? 0;
    const item = /^ *-( |\r?$)/.test(line.text);
    if (indent === undefined) {
      if (!item) return undefined;
      indent = lineIndent;
    }
    if (lineIndent === indent && item) starts.push(line.start);
    else if (lineIndent === 0) {
      end = line.start;
      break;
    } else if (lineIndent < indent) return undefined;
  }
  const first = starts[0];
  if (first === undefined) return undefined;
  const items = starts.map((start, i) => text.slice(start, starts[i + 1] ?? end));
  return { key: key.start, head: text.slice(0, first) + text.slice(end), items };
}

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  for (let start = 0; start < text.length;) {
    const newline = text.indexOf('\n', start);
    const stop = newline === -1 ? text.length : newline;
    lines.push({ start, text: text.slice(start, stop) });
    start = stop + 1;
  }
  return lines;
}
