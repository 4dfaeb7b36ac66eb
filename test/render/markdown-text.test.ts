import { describe, expect, it } from 'vitest';
import { code, codeBlock, inline } from '../../src/render/markdown/text.js';
import { lex, plain } from './markdown-tokens.js';

/** What marked shows for one line of our Markdown. */
function shown(markdown: string): string {
  const [first] = lex(markdown);
  return first && 'tokens' in first ? plain(first.tokens) : '';
}

describe('Markdown escaping of runbook text', () => {
  it.each([
    'tail -50 /backups/logs/backup_*.log',
    'kubectl describe pod <pod-name> -n production',
    '[ZOOM LINK] and [NAME]',
    '# not a heading',
    '- not a list',
    '1. not a list either',
    '> not a quote',
    '__init__ and snake_case_name',
    'a `backtick` b',
    'AT&T &amp; ~/.pgpass ~~struck~~',
    '<!-- a comment --> <script>alert(1)</script>',
    'back\\slash',
  ])('shows %s exactly as written', (text) => {
    expect(shown(inline(text))).toBe(text);
  });

  it('keeps code spans and blocks intact whatever backticks they hold', () => {
    expect(shown(`x ${code('a ``b`` c')} y`)).toBe('x a ``b`` c y');
    const [block] = lex(codeBlock('echo ```\nnext', 'sh').join('\n'));
    expect(block).toMatchObject({ type: 'code', lang: 'sh', text: 'echo ```\nnext' });
  });
});
