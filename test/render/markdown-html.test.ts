import { readFileSync } from 'node:fs';
import { Marked } from 'marked';
import { describe, expect, it } from 'vitest';
import { level2Sections, markdownToHtml } from '../../src/render/html/markdown-html.js';
import { codeBlock } from '../../src/render/markdown/text.js';

describe('Markdown to HTML, section by section', () => {
  it('splits before each level-2 heading, never inside a fenced code block', () => {
    const markdown = [
      '# Title', '', 'intro', '',
      '## One', '', ...codeBlock('echo "## not a heading"\n## nor this'), '',
      '~~~', '## still code', '~~~~', '',
      '## Two', '- item', '### Three', 'text',
    ].join('\n');
    const sections = level2Sections(markdown);
    expect(sections.map((s) => s.split('\n')[0])).toEqual(['# Title', '## One', '## Two']);
    expect(sections.join('\n')).toBe(markdown);
    const html = markdownToHtml(markdown);
    expect(html).toContain('<pre><code>echo &quot;## not a heading&quot;\n## nor this\n</code></pre>');
    expect(html).toContain('<pre><code>## still code\n</code></pre>');
    expect(html.match(/<h2 /g)).toHaveLength(2);
  });

  it('gives the same HTML as one pass of marked over the whole rendered runbook', () => {
    // The committed runbook: paragraphs, lists, tables, quotes and code blocks right before `## ` lines.
    const markdown = readFileSync('docs/runbooks/runbook.md', 'utf8').replace(/^<!--.*?-->\n+/, '');
    const strip = (html: string) => html.replace(/ id="[^"]*"| class="new-page"/g, '');
    const whole = new Marked({ gfm: true, renderer: { html: ({ text }) => text.replace(/</g, '&lt;') } }).parse(markdown, { async: false });
    const split = markdownToHtml(markdown).replace(/&lt;/g, '<');
    expect(level2Sections(markdown).length).toBeGreaterThan(10);
    expect(strip(split)).toBe(strip(whole.replace(/&lt;/g, '<')));
  });
});
