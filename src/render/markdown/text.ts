/**
 * Markdown building blocks. Runbook text is written by people for people: it contains shell fragments
 * (`backup_*.log`, `<pod-name>`, `a | b`) that Markdown would otherwise read as emphasis, HTML or table
 * syntax. Everything taken from the runbook goes through one of these functions, so the rendered
 * document says exactly what the YAML says.
 */

/**
 * Inline text: escapes what would change meaning, keeps everything else readable in the .md file.
 * `atLineStart: false` for text that follows a marker on its line (a heading's `#`), where `1.` or `-`
 * cannot start a list.
 */
export function inline(text: string, atLineStart = true): string {
  const escaped = text
    .replace(/\s*\n\s*/g, ' ')
    .replace(/([\\`*[\]])/g, '\\$1')
    // `_` starts emphasis only next to a non-word character (GFM); snake_case stays untouched.
    .replace(/(?<![A-Za-z0-9])_|_(?![A-Za-z0-9])/g, '\\_')
    // A tag-like `<name` or `</` or `<!` would be read as raw HTML; `< 5 seconds` is fine.
    .replace(/<(?=[A-Za-z/!?])/g, '\\<')
    .replace(/&(?=[A-Za-z#][A-Za-z0-9]*;)/g, '\\&')
    .replace(/~/g, '\\~');
  if (!atLineStart) return escaped;
  // Line starts that would make a heading, quote, list or setext underline.
  return escaped.replace(/^(>|[#+-](?=\s|$)|=+\s*$)/, '\\$1').replace(/^(\d+)([.)])(?=\s|$)/, '$1\\$2');
}

/** A table cell: inline text with pipes escaped. */
export function cell(text: string): string {
  return inline(text).replace(/\|/g, '\\|');
}

/** Inline code that survives backticks inside the code. */
export function code(text: string): string {
  const flat = text.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...[...flat.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** A fenced code block; the fence is longer than any backtick run inside the code. */
export function codeBlock(text: string, lang = ''): string[] {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return [`${fence}${lang}`, ...text.replace(/\s+$/, '').split('\n'), fence];
}

/** A GFM table. Cells must already be escaped with cell(). */
export function table(header: string[], rows: string[][], align: ('left' | 'right' | 'center')[] = []): string[] {
  const rule = header.map((_, i) => ({ left: '---', right: '---:', center: ':---:' })[align[i] ?? 'left']);
  return [`| ${header.join(' | ')} |`, `| ${rule.join(' | ')} |`, ...rows.map((r) => `| ${r.join(' | ')} |`)];
}

/** A paragraph of runbook prose: blank-line separated paragraphs stay paragraphs. */
export function paragraphs(text: string): string[] {
  const out: string[] = [];
  for (const para of text.trim().split(/\n\s*\n/)) {
    if (out.length > 0) out.push('');
    out.push(inline(para));
  }
  return out;
}

/** A block quote that keeps the template's line breaks (status messages are read line by line). */
export function quoteBlock(text: string): string[] {
  return text
    .replace(/\s+$/, '')
    .split('\n')
    .map((line) => (line.trim() === '' ? '>' : `> ${inline(line)}  `));
}

export function bullets(items: string[]): string[] {
  return items.map((item) => `- ${inline(item)}`);
}

export function plural(n: number, word: string, many = `${word}s`): string {
  return `${n} ${n === 1 ? word : many}`;
}

/** A blank long enough to write a value on paper. */
export const FILL_IN = '______';

/**
 * A place for notes. In Markdown a labelled blank; the HTML pages print it as ruled lines to write on
 * (src/render/html/markdown-html.ts recognises this exact paragraph).
 */
export const NOTES_LINE = `Notes: ${FILL_IN}`;

/** "Phase 3: Promote the replica"; a title that already says which phase it is ("Phase 2.1: ...") is kept. */
export function phaseLabel(index: number, title: string): string {
  return /^phase\b/i.test(title) ? title : `Phase ${index + 1}: ${title}`;
}

/**
 * How a step that changes the system says so in its meta line. The HTML runbook recognises it to give the
 * step a badge and a border (src/render/html/document-blocks.ts).
 */
export const DESTRUCTIVE_NOTE = '⚠ **destructive: needs approval, changes the system**';
