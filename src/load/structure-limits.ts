/**
 * Limits on a runbook's shape, checked on the raw text before the YAML parser sees it. The parser
 * recurses once per nesting level, and a few thousand `[` end the process with a fatal out-of-memory in
 * the regular-expression compiler (not even an exception); its syntax tree costs about 1 KB per value,
 * so a file just under the size cap made of tiny values (`[0,0,0,…]`) took 15 s and 900 MB.
 *
 * The scan is one pass over the characters: it skips comments, quoted scalars and block scalars, counts
 * structural marks (a line break, `,`, `[`, `{`, and `-`, `?`, `:` before a space) as an upper bound of
 * the values, and tracks flow nesting plus compact `- - -` chains. Nesting that only indentation builds
 * is bounded by the size cap (each level costs one more space on every line below it) and is checked on
 * the parsed value instead (valueTooDeep).
 */

/** Far deeper than any honest runbook (about 10 levels), far shallower than what hurts the parser. */
export const MAX_DEPTH = 64;
/** The 10,000-step benchmark runbook (1.7 MB) has about 175,000 marks; a file at this limit parses in about 300 MB. */
export const MAX_VALUES = 250_000;

export interface StructureProblem {
  offset: number;
  message: string;
  hint: string;
}

const SPACE = 0x20,
  TAB = 0x09,
  LF = 0x0a,
  CR = 0x0d,
  HASH = 0x23,
  DQ = 0x22,
  SQ = 0x27,
  BACKSLASH = 0x5c;
const DASH = 0x2d,
  QUESTION = 0x3f,
  COLON = 0x3a,
  COMMA = 0x2c,
  LBRACKET = 0x5b,
  LBRACE = 0x7b,
  RBRACKET = 0x5d,
  RBRACE = 0x7d,
  PIPE = 0x7c,
  GT = 0x3e;

/** After one of these (or at the start of a line's content) a quote opens a quoted scalar. */
const VALUE_START = new Set([DASH, QUESTION, COLON, COMMA, LBRACKET, LBRACE]);

export function structureProblem(text: string): StructureProblem | undefined {
  const s = new Scan(text);
  return s.run();
}

/** The scanner's state; `run` walks lines, `content` the characters of one line. */
class Scan {
  private i = 0;
  private marks = 0;
  private flow = 0;
  /** Indentation a line must exceed to belong to the open block scalar; undefined when none is open. */
  private blockParent: number | undefined;

  constructor(private readonly text: string) {}

  run(): StructureProblem | undefined {
    const { text } = this;
    while (this.i < text.length) {
      const start = this.i;
      let indent = 0;
      while (text.charCodeAt(this.i) === SPACE) {
        this.i++;
        indent++;
      }
      const c = text.charCodeAt(this.i);
      const blank = Number.isNaN(c) || c === LF || c === CR;
      if (this.blockParent !== undefined && (blank || indent > this.blockParent)) {
        this.skipLine();
        continue;
      }
      this.blockParent = undefined;
      const problem = this.line(indent, start);
      if (problem) return problem;
    }
    return undefined;
  }

  /** One line from its first non-space character to its end (or into the lines a quoted scalar spans). */
  private line(indent: number, lineStart: number): StructureProblem | undefined {
    const { text } = this;
    let chain = 0;
    let previous = -1; // the last significant character; -1 at the start of the line's content
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      const next = text.charCodeAt(this.i + 1);
      const beforeSpace = Number.isNaN(next) || next === SPACE || next === TAB || next === LF || next === CR;
      if (c === LF) return this.mark(this.i++);
      if (c === HASH && (this.i === lineStart || isSpace(text.charCodeAt(this.i - 1)))) {
        this.skipLine();
        return undefined;
      }
      if ((c === DQ || c === SQ) && (previous === -1 || VALUE_START.has(previous))) {
        this.skipQuoted(c);
        previous = c;
        continue;
      }
      if (
        (c === PIPE || c === GT) &&
        this.flow === 0 &&
        (previous === -1 || previous === COLON || previous === DASH || previous === QUESTION)
      ) {
        this.blockParent = previous === -1 ? indent - 1 : indent;
        this.skipLine();
        return undefined;
      }
      if (
        (c === DASH || c === QUESTION) &&
        beforeSpace &&
        (previous === -1 || previous === DASH || previous === QUESTION)
      )
        chain++;
      const problem = this.structural(c, beforeSpace, chain);
      if (problem) return problem;
      if (!isSpace(c)) previous = c;
      this.i++;
    }
    return undefined;
  }

  private structural(c: number, beforeSpace: boolean, chain: number): StructureProblem | undefined {
    if (c === LBRACKET || c === LBRACE) {
      this.flow++;
      if (this.flow + chain > MAX_DEPTH) return tooDeep(this.i);
      return this.mark(this.i);
    }
    if (c === RBRACKET || c === RBRACE) this.flow = Math.max(0, this.flow - 1);
    else if (c === COMMA || ((c === DASH || c === QUESTION || c === COLON) && beforeSpace)) {
      if (chain > MAX_DEPTH) return tooDeep(this.i);
      return this.mark(this.i);
    }
    return undefined;
  }

  private mark(offset: number): StructureProblem | undefined {
    this.marks++;
    if (this.marks <= MAX_VALUES) return undefined;
    return {
      offset,
      message: `more than ${MAX_VALUES} values (counting line breaks, commas, brackets and "- ", ": " indicators)`,
      hint: 'a runbook this dense is generated data, not a procedure; split it or remove the generated content',
    };
  }

  private skipLine(): void {
    const end = this.text.indexOf('\n', this.i);
    this.i = end === -1 ? this.text.length : end + 1;
  }

  /** Past the closing quote ('' and \" are escapes), or to the end of the text if there is none. */
  private skipQuoted(quote: number): void {
    const { text } = this;
    this.i++;
    while (this.i < text.length) {
      const c = text.charCodeAt(this.i);
      if (quote === DQ && c === BACKSLASH) this.i += 2;
      else if (c === quote && quote === SQ && text.charCodeAt(this.i + 1) === SQ) this.i += 2;
      else if (c === quote) {
        this.i++;
        return;
      } else this.i++;
    }
  }
}

function isSpace(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** The one message for too deep a nesting, whether the text scan or the value check finds it. */
export const TOO_DEEP = {
  message: `nested more than ${MAX_DEPTH} levels deep`,
  hint: 'a runbook needs about 10 levels; flatten this structure',
} as const;

function tooDeep(offset: number): StructureProblem {
  return { offset, ...TOO_DEEP };
}

/**
 * The JSON path of the first value nested deeper than `max` levels, or undefined. Iterative, so a
 * structure that indentation nests deeply cannot overflow the stack here either.
 */
export function valueTooDeep(value: unknown, max = MAX_DEPTH): string | undefined {
  const stack: { value: unknown; path: string; depth: number }[] = [{ value, path: '', depth: 0 }];
  for (let top = stack.pop(); top !== undefined; top = stack.pop()) {
    if (typeof top.value !== 'object' || top.value === null) continue;
    if (top.depth >= max) return top.path;
    for (const [key, child] of Object.entries(top.value)) {
      stack.push({
        value: child,
        path: `${top.path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`,
        depth: top.depth + 1,
      });
    }
  }
  return undefined;
}
