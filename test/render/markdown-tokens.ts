import { Lexer, type Token, type Tokens } from 'marked';
import { resolveEnvironment } from '../../src/resolve/resolve-environment.js';
import { openRunbook } from '../../src/cli/open-runbook.js';
import type { RenderInput } from '../../src/render/render-input.js';

export const SHIPPED = 'playbooks/thebot-dr.yaml';

/** The shipped runbook, ready to render as the CLI does (first environment). */
export function shippedInput(file = SHIPPED, env?: string): RenderInput {
  const { runbook, text } = openRunbook(file);
  return { runbook, file, text, environment: resolveEnvironment(runbook, env) };
}

export function lex(markdown: string): Token[] {
  return new Lexer({ gfm: true }).lex(markdown);
}

/** What a reader sees: the text of inline tokens with escapes resolved and markup dropped. */
export function plain(tokens: Token[] | undefined): string {
  return (tokens ?? [])
    .map((t) => {
      if ('tokens' in t && Array.isArray(t.tokens) && t.type !== 'codespan') return plain(t.tokens);
      if (t.type === 'codespan') return (t as Tokens.Codespan).text;
      if (t.type === 'br') return '\n';
      // An escape token carries its character HTML-escaped (`\<` is `&lt;`).
      if (t.type === 'escape') return decode((t as Tokens.Escape).text);
      return 'text' in t && typeof t.text === 'string' ? t.text : '';
    })
    .join('');
}

function decode(text: string): string {
  return text
    .replace(/&amp;/g, '&')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'");
}

export interface Heading {
  depth: number;
  text: string;
  index: number;
}

export function headings(tokens: Token[]): Heading[] {
  return tokens.flatMap((t, index) =>
    t.type === 'heading'
      ? [{ depth: (t as Tokens.Heading).depth, text: plain((t as Tokens.Heading).tokens), index }]
      : [],
  );
}

/** The block tokens between a heading and the next heading of the same or a higher level. */
export function section(tokens: Token[], heading: Heading): Token[] {
  const end = tokens.findIndex(
    (t, i) => i > heading.index && t.type === 'heading' && (t as Tokens.Heading).depth <= heading.depth,
  );
  return tokens.slice(heading.index + 1, end < 0 ? undefined : end);
}

/** Every list item in a token tree, nested lists included. */
export function listItems(tokens: Token[]): Tokens.ListItem[] {
  const out: Tokens.ListItem[] = [];
  for (const t of tokens) {
    if (t.type === 'list') {
      for (const item of (t as Tokens.List).items) {
        out.push(item);
        out.push(...listItems(item.tokens));
      }
    }
  }
  return out;
}

export function tables(tokens: Token[]): Tokens.Table[] {
  return tokens.filter((t): t is Tokens.Table => t.type === 'table');
}

export function cellText(cell: Tokens.TableCell): string {
  return plain(cell.tokens);
}
