import type { Token, Tokens } from 'marked';
import { DESTRUCTIVE_NOTE } from '../markdown/text.js';

/** A heading that starts an incident: `INC-003: Database down` (runbook) or `INC-003 Database down` (checklists). */
const INCIDENT_HEADING = /^([A-Z][A-Z0-9]*-\d{3}):? /;
/** A step's heading is followed by its meta line, `Step `id` · run · ...` (src/render/runbook/step-markdown.ts). */
const STEP_META = /^Step `/;

/** How the HTML groups a run of tokens, so print keeps them together and the page can mark them. */
export type Block =
  | { kind: 'tokens'; tokens: Token[] }
  | { kind: 'incident'; id: string; title: string; blocks: Block[] }
  | { kind: 'step'; destructive: boolean; head: Token[]; rest: Token[] };

/**
 * Groups a section's tokens: an incident's heading and everything under it (until a heading of the same
 * or a higher level) becomes one incident block, which prints on its own pages with its id in the running
 * header; a step becomes one step block whose head (heading, meta line, reasons and action: its command,
 * check or instruction) print never splits, so a heading is never separated from its command.
 */
export function groupBlocks(tokens: Token[]): Block[] {
  const blocks: Block[] = [];
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    const heading = token.type === 'heading' ? (token as Tokens.Heading) : undefined;
    const incident = heading && heading.depth <= 3 ? INCIDENT_HEADING.exec(heading.text) : null;
    if (heading && incident) {
      const end = nextHeadingAtOrAbove(tokens, i, heading.depth);
      // The heading is the first token of the incident's block.
      const blocksUnder = groupBlocks(tokens.slice(i + 1, end));
      blocks.push({
        kind: 'incident',
        id: incident[1] ?? '',
        title: unescapeMarkdown(heading.text),
        blocks: [{ kind: 'tokens', tokens: [heading] }, ...blocksUnder],
      });
      i = end;
      continue;
    }
    if (isStepHeading(tokens, i)) {
      const headEnd = stepActionEnd(tokens, i);
      const end = nextHeadingAtOrAbove(tokens, i, (token as Tokens.Heading).depth);
      const head = tokens.slice(i, headEnd);
      blocks.push({
        kind: 'step',
        destructive: head.some((t) => t.type === 'paragraph' && t.raw.includes(DESTRUCTIVE_NOTE)),
        head,
        rest: tokens.slice(headEnd, end),
      });
      i = end;
      continue;
    }
    const last = blocks[blocks.length - 1];
    if (last?.kind === 'tokens') last.tokens.push(token);
    else blocks.push({ kind: 'tokens', tokens: [token] });
    i += 1;
  }
  return blocks;
}

function nextHeadingAtOrAbove(tokens: Token[], from: number, depth: number): number {
  const end = tokens.findIndex((t, j) => j > from && t.type === 'heading' && (t as Tokens.Heading).depth <= depth);
  return end < 0 ? tokens.length : end;
}

function isStepHeading(tokens: Token[], at: number): boolean {
  const heading = tokens[at];
  const meta = tokens.slice(at + 1).find((t) => t.type !== 'space');
  return heading?.type === 'heading' && meta?.type === 'paragraph' && STEP_META.test(meta.raw);
}

/** The end (exclusive) of a step's head: through its first code block, else up to its details list or the next heading. */
function stepActionEnd(tokens: Token[], at: number): number {
  for (let j = at + 1; j < tokens.length; j++) {
    const t = tokens[j] as Token;
    if (t.type === 'code') return j + 1;
    if (t.type === 'heading' || t.type === 'list' || t.type === 'table') return j;
  }
  return tokens.length;
}

/** Heading text as a reader sees it: Markdown's backslash escapes removed. */
function unescapeMarkdown(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}
