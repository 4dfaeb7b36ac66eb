import { escapeHtml } from './page.js';

/**
 * Words longer than this may break anywhere when a line is too narrow for them (a long URL on a phone);
 * shorter ones never break inside.
 */
const UNBREAKABLE_UP_TO = 60;

/**
 * A code block whose lines wrap only at spaces and after `&&`, never inside a word such as `--format=custom`
 * or a path, and whose wrapped lines carry a visible continuation mark (the `.code-line` style draws it in
 * the hanging indent). The text is unchanged: copying the block gives the command exactly as written.
 */
export function codeBlockHtml(text: string, lang: string | undefined): string {
  const language = lang ? ` class="language-${escapeHtml(lang)}"` : '';
  const lines = text
    .replace(/\n$/, '')
    .split('\n')
    .map((line) => `<span class="code-line">${lineHtml(line)}\n</span>`);
  return `<pre class="code"><code${language}>${lines.join('')}</code></pre>\n`;
}

function lineHtml(line: string): string {
  // Spaces stay as they are (they are where the line may wrap); each word is kept whole.
  return line
    .split(/(\s+)/)
    .map((part, i) => (i % 2 === 1 ? part : wordHtml(part)))
    .join('');
}

function wordHtml(word: string): string {
  if (word === '') return '';
  // `a&&b`: a break is allowed after the `&&`.
  const pieces = word.split(/(?<=&&)(?=.)/);
  return pieces
    .map((piece) =>
      piece.length <= UNBREAKABLE_UP_TO && /\W/.test(piece)
        ? `<span class="nb">${escapeHtml(piece)}</span>`
        : escapeHtml(piece),
    )
    .join('<wbr>');
}
