import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { documentConverter, level2Sections, markdownToHtml } from '../../src/render/html/markdown-html.js';
import { codeBlock, DESTRUCTIVE_NOTE, NOTES_LINE } from '../../src/render/markdown/text.js';

describe('Markdown to HTML, section by section', () => {
  it('splits before each level-2 heading, never inside a fenced code block', () => {
    const markdown = [
      '# Title',
      '',
      'intro',
      '',
      '## One',
      '',
      ...codeBlock('echo "## not a heading"\n## nor this'),
      '',
      '~~~',
      '## still code',
      '~~~~',
      '',
      '## Two',
      '- item',
      '### Three',
      'text',
    ].join('\n');
    const sections = level2Sections(markdown);
    expect(sections.map((s) => s.split('\n')[0])).toEqual(['# Title', '## One', '## Two']);
    expect(sections.join('\n')).toBe(markdown);
    const html = markdownToHtml(markdown);
    const codeText = [...html.matchAll(/<pre class="code"><code>(.*?)<\/code><\/pre>/gs)].map((m) =>
      (m[1] ?? '').replace(/<[^>]+>/g, ''),
    );
    expect(codeText).toEqual(['echo &quot;## not a heading&quot;\n## nor this\n', '## still code\n']);
    expect(html.match(/<h2 /g)).toHaveLength(2);
  });

  it('gives the same HTML as one pass over the whole rendered runbook', () => {
    // The committed runbook: paragraphs, lists, tables, quotes and code blocks right before `## ` lines.
    const markdown = readFileSync('docs/runbooks/runbook.md', 'utf8').replace(/^<!--.*?-->\n+/, '');
    const whole = documentConverter()(markdown);
    expect(level2Sections(markdown).length).toBeGreaterThan(10);
    expect(markdownToHtml(markdown)).toBe(whole);
    expect(whole.match(/<section class="incident"/g)).toHaveLength(6);
  });

  it('never turns `ssh user@host` into a mailto link; web addresses stay links', () => {
    const html = markdownToHtml(
      'Run ssh monitoring@prod-monitor.example.com, then see https://status.example.com/x or www.example.com.\n',
    );
    expect(html).not.toContain('mailto:');
    expect(html).toContain('ssh monitoring@prod-monitor.example.com');
    expect(html).toContain('<a href="https://status.example.com/x">');
    expect(html).toContain('<a href="http://www.example.com">');
  });

  it('wraps code only at spaces and after &&: words are kept whole, the text is unchanged', () => {
    const script = 'pg_dump --format=custom -f /backups/x.dump thebot&&echo done\n  ls -la /var/lib/postgresql/15/main';
    const html = markdownToHtml(codeBlock(script, 'sh').join('\n'));
    expect(html).toContain('<span class="nb">--format=custom</span>');
    expect(html).toContain('<span class="nb">/var/lib/postgresql/15/main</span>');
    expect(html).toContain('thebot&amp;&amp;</span><wbr>');
    expect(html.match(/<span class="code-line">/g)).toHaveLength(2);
    const text = /<code class="language-sh">(.*)<\/code>/s
      .exec(html)?.[1]
      ?.replace(/<[^>]+>/g, '')
      .replace(/&amp;/g, '&');
    expect(text).toBe(`${script}\n`);
  });

  it('marks a destructive step with a badge and keeps its heading with its command; notes get ruled lines', () => {
    const markdown = [
      '#### 3.1 Promote the replica',
      '',
      `Step \`promote\` · run · estimate 30s · ${DESTRUCTIVE_NOTE}`,
      '',
      'Why it is done.',
      '',
      ...codeBlock('pg_ctl promote', 'sh'),
      '',
      '- **Expected:** promoted',
      '',
      '#### 3.2 Check it',
      '',
      'Step `check` · check · estimate 5s',
      '',
      '**Check:** PostgreSQL',
      '',
      NOTES_LINE,
      '',
    ].join('\n');
    const html = markdownToHtml(markdown);
    const steps = [
      ...html.matchAll(/<div class="(step[^"]*)">\n<div class="step-head">\n(.*?)<\/div>\n(.*?)<\/div>\n/gs),
    ];
    expect(steps.map((m) => m[1])).toEqual(['step destructive', 'step']);
    expect(steps[0]?.[2]).toMatch(
      /^<h4 id="31-promote-the-replica">3\.1 Promote the replica<span class="badge destructive">Destructive<\/span><\/h4>.*Why it is done.*pg_ctl.*<\/pre>\n$/s,
    );
    expect(steps[0]?.[3]).toContain('Expected:');
    expect(steps[1]?.[2]).not.toContain('badge');
    expect(html).toContain('<div class="notes"><p>Notes:</p><div class="ruled"></div>');
  });
});
