import { Marked, type Tokens } from 'marked';
import { GENERATED_MARKER } from '../render-input.js';
import { Slugger } from '../markdown/document.js';
import { escapeHtml, htmlPage } from './page.js';
import { NOTES_LINE } from '../markdown/text.js';
import { codeBlockHtml } from './code-html.js';
import { groupBlocks, type Block } from './document-blocks.js';
import { documentCss, type PageHeader } from './document-style.js';

/** Ruled lines under a "Notes:" label: room for a few sentences in pen. */
const NOTES_RULES = 4;

/** Level-2 sections that start a new sheet of paper besides the incidents: the long appendices. */
const NEW_PAGE = /^(Checklists|Post-drill report template)$/;

/**
 * Markdown to a self-contained HTML page with marked. Headings get GitHub's anchors (the Markdown's table
 * of contents links to them); raw HTML in the source is shown as text, never passed through, and images
 * become links: runbook text can never make the page load or run anything. Each incident prints on its
 * own pages, with its id in the running header.
 */
export function markdownToHtmlPage(markdown: string, title: string): string {
  const generator = /<!-- (.*?) -->/.exec(markdown)?.[1] ?? GENERATED_MARKER;
  const incidents: PageHeader[] = [];
  const body = markdownToHtml(markdown.replace(/^<!--.*?-->\n+/, ''), incidents);
  return htmlPage({ title, body, generator, extraCss: documentCss(title, incidents) });
}

/** Markdown to HTML; the incidents met are added to `incidents` (for their running headers). */
export function markdownToHtml(markdown: string, incidents: PageHeader[] = []): string {
  const convert = documentConverter(incidents);
  // Section by section, so marked's token tree never spans a whole page (tens of MB for a 10,000-step
  // runbook). A level-2 heading ends any paragraph, list, table or quote before it, and the renderers write
  // neither raw HTML blocks nor link reference definitions (runbook text has `<` and brackets escaped), so
  // the pieces join to the same HTML as one pass.
  return level2Sections(markdown)
    .map((section) => flatten(convert(section)))
    .join('');
}

/** One converter for a whole document: it numbers heading anchors across every piece it converts. */
export function documentConverter(incidents: PageHeader[] = []): (markdown: string) => string {
  const slugger = new Slugger();
  const marked = new Marked({
    gfm: true,
    tokenizer: {
      // `ssh postgres@replica-db.example.com` is a command, not an address to mail: no e-mail autolinks.
      // Returning false lets marked link URLs as usual; undefined leaves the text as text.
      url(src: string): false | undefined {
        return /^[^\s@]*@/.test(src) && !/^(https?:\/\/|www\.)/i.test(src) ? undefined : false;
      },
    },
    renderer: {
      heading({ tokens, depth }: Tokens.Heading): string {
        const text = decodeEntities(this.parser.parseInline(tokens, this.parser.textRenderer));
        const page = depth === 2 && NEW_PAGE.test(text) ? ' class="new-page"' : '';
        return `<h${depth} id="${slugger.slug(text)}"${page}>${this.parser.parseInline(tokens)}</h${depth}>\n`;
      },
      html({ text }: Tokens.HTML | Tokens.Tag): string {
        return escapeHtml(text);
      },
      image({ href, text }: Tokens.Image): string {
        return `<a href="${escapeHtml(href)}">${escapeHtml(text || href)}</a>`;
      },
      code({ text, lang }: Tokens.Code): string {
        return codeBlockHtml(text, lang);
      },
      paragraph({ raw }: Tokens.Paragraph): string | false {
        return raw.trim() === NOTES_LINE
          ? `<div class="notes"><p>Notes:</p>${'<div class="ruled"></div>'.repeat(NOTES_RULES)}</div>\n`
          : false;
      },
    },
  });
  const render = (blocks: Block[]): string => blocks.map((block) => blockHtml(block)).join('');
  const blockHtml = (block: Block): string => {
    if (block.kind === 'tokens') return marked.parser(block.tokens);
    if (block.kind === 'step') {
      const head = `<div class="step-head">\n${withBadge(marked.parser(block.head), block.destructive)}</div>\n`;
      return `<div class="step${block.destructive ? ' destructive' : ''}">\n${head}${marked.parser(block.rest)}</div>\n`;
    }
    incidents.push({ id: block.id, title: block.title });
    return `<section class="incident" data-incident="${escapeHtml(block.id)}">\n${render(block.blocks)}</section>\n`;
  };
  return (markdown) => scrollingTables(render(groupBlocks(marked.lexer(markdown))));
}

/**
 * Splits Markdown before each `## ` heading line that is not inside a fenced code block. The sections
 * are slices of the text, so no line of it is copied.
 */
export function level2Sections(markdown: string): string[] {
  const sections: string[] = [];
  let start = 0;
  let fence: string | undefined;
  for (let at = 0; at < markdown.length;) {
    const newline = markdown.indexOf('\n', at);
    const end = newline === -1 ? markdown.length : newline;
    const line = markdown.slice(at, end);
    const marker = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    if (fence === undefined && marker !== undefined) fence = marker;
    else if (fence !== undefined && marker !== undefined && closes(fence, marker, line)) fence = undefined;
    else if (fence === undefined && at > start && line.startsWith('## ')) {
      sections.push(markdown.slice(start, at - 1));
      start = at;
    }
    at = end + 1;
  }
  sections.push(markdown.slice(start));
  return sections;
}

/**
 * marked builds its output by appending, which V8 keeps as a tree of the appended pieces until the string
 * is read. Searching it makes V8 copy it into one flat string, so a section's pieces die young instead of
 * staying alive until the page is joined (12 MB for a 10,000-step runbook).
 */
function flatten(html: string): string {
  html.indexOf('\0');
  return html;
}

function decodeEntities(text: string): string {
  return text.replace(
    /&(amp|lt|gt|quot|#39);/g,
    (_, name: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#39': "'" })[name] ?? '',
  );
}

/** A closing fence: the opening fence's character, at least as long, and nothing else on the line. */
function closes(fence: string, marker: string, line: string): boolean {
  return marker.startsWith(fence.charAt(0)) && marker.length >= fence.length && line.trim() === marker;
}

/** Tables scroll sideways inside their own box on a narrow screen, never the whole page. */
function scrollingTables(html: string): string {
  return html.replace(/<table>/g, '<div class="table-scroll"><table>').replace(/<\/table>/g, '</table></div>');
}

/** A destructive step's heading carries a badge a responder cannot miss. */
function withBadge(html: string, destructive: boolean): string {
  return destructive ? html.replace(/<\/h(\d)>/, '<span class="badge destructive">Destructive</span></h$1>') : html;
}
