import { inline } from './text.js';

/**
 * A Markdown document under construction that knows its headings, so a table of contents can link to
 * them. Anchors follow GitHub's rule (github-slugger), and the HTML renderer gives headings the same
 * ids, so one link works on GitHub, in the .md viewer and in the printed HTML.
 */
export class Slugger {
  private readonly seen = new Map<string, number>();

  slug(text: string): string {
    const base = text
      .toLowerCase()
      .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
      .replace(/ /g, '-');
    let slug = base;
    let n = this.seen.get(base) ?? 0;
    while (this.seen.has(slug)) slug = `${base}-${++n}`;
    this.seen.set(base, n);
    this.seen.set(slug, 0);
    return slug;
  }
}

export interface Heading {
  level: number;
  text: string;
  slug: string;
  toc: boolean;
}

export class MarkdownDocument {
  private readonly lines: string[] = [];
  readonly headings: Heading[] = [];

  constructor(readonly slugger = new Slugger()) {}

  /** Adds a heading (plain text, escaped here) and returns its anchor; `toc` lists it in the contents. */
  heading(level: number, text: string, toc = level <= 2): string {
    const slug = this.slugger.slug(text);
    this.headings.push({ level, text, slug, toc });
    this.block(`${'#'.repeat(level)} ${inline(text, false)}`);
    return slug;
  }

  /** Adds lines as one block, separated from the previous block by a blank line. */
  block(...lines: string[]): void {
    if (lines.length === 0) return;
    if (this.lines.length > 0) this.lines.push('');
    this.lines.push(...lines);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}

/** Nested bullet links to the headings marked for the contents. */
export function tableOfContents(headings: Heading[]): string[] {
  const listed = headings.filter((h) => h.toc);
  const top = Math.min(...listed.map((h) => h.level));
  return listed.map((h) => `${'  '.repeat(h.level - top)}- [${inline(h.text, false)}](#${h.slug})`);
}

/**
 * A finished document: the generated-file note, the title, the lines under it (title block,
 * introduction), the contents, then the body.
 */
export function withTitleAndContents(note: string, title: string, intro: string[], body: MarkdownDocument): string {
  const head = [
    `<!-- ${note} -->`,
    '',
    `# ${inline(title)}`,
    '',
    ...intro,
    '',
    '## Contents',
    '',
    ...tableOfContents(body.headings),
    '',
  ];
  return `${head.join('\n')}\n${body.text()}`;
}
