import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MIN_SECRET_FRAGMENT, SecretMasker } from '../../src/execute/secrets.js';
import { drillbook } from '../helpers/cli.js';
import { onlyRunDir, reportOf, runFile, workspace } from '../helpers/runs.js';

// Quotes, a backslash, a space and URL-special characters: every form differs from the plain value.
const SECRET = `Qz'7"Kx\\9 Wv&j=Ty/8%Rb+Lm`;
const masker = (value = SECRET) => new SecretMasker(['TOKEN'], { TOKEN: value });

/** The documented minimum (docs/running.md); written out so that the test does not trust the code it tests. */
const PIECE = 4;

/** Every piece of the secret, in each of the forms it can be written in, that is PIECE characters long. */
function fragments(value: string): string[] {
  const forms = [
    value,
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    value.replaceAll("'", "'\\''"),
  ];
  // A piece made of quoting alone ('\'') is how any quote is written in a shell, not a piece of the secret.
  return [
    ...new Set(forms.flatMap((f) => Array.from({ length: f.length - PIECE + 1 }, (_, i) => f.slice(i, i + PIECE)))),
  ].filter((piece) => !/^['\\]+$/.test(piece));
}

function leaked(text: string, value = SECRET): string[] {
  return fragments(value).filter((piece) => text.includes(piece));
}

describe('SecretMasker', () => {
  it('documents the minimum piece it masks at a cut', () => {
    expect(MIN_SECRET_FRAGMENT).toBe(PIECE);
  });

  it('masks the plain, shell-quoted, JSON-escaped and URL-encoded forms', () => {
    const m = masker();
    const text = [
      SECRET,
      `'${SECRET.replaceAll("'", "'\\''")}'`,
      JSON.stringify({ t: SECRET }),
      `?t=${encodeURIComponent(SECRET)}`,
      `?t=${encodeURIComponent(SECRET).replace(/%[0-9A-F]{2}/g, (h) => h.toLowerCase())}`,
      new URLSearchParams({ t: SECRET }).toString(),
    ].join('\n');
    const out = m.mask(text);
    expect(leaked(out)).toEqual([]);
    expect(out.split('\n')).toEqual(['***', "'***'", '{"t":"***"}', '?t=***', '?t=***', 't=***']);
  });

  it('masks a piece at a cut edge down to the minimum length, and not a shorter one', () => {
    const m = masker('abcdefghijkl');
    expect(m.maskCut('ijkl and more', { start: true })).toBe('*** and more');
    expect(m.maskCut('more then abcd', { end: true })).toBe('more then ***');
    expect(m.maskCut('jkl and more', { start: true })).toBe('jkl and more');
    expect(m.maskCut('ijkl in the middle', {})).toBe('ijkl in the middle');
  });

  it('masks before it cuts a head, so no piece of the secret is left at the cut', () => {
    const m = masker();
    for (let keep = 70; keep < 80 + SECRET.length; keep += 1) {
      const out = m.head(`${'x'.repeat(keep - 40)}${SECRET} tail`, 80, '...');
      expect(out.length).toBeLessThanOrEqual(80);
      expect(leaked(out)).toEqual([]);
    }
  });

  it('masks a secret that contains another whole', () => {
    const m = new SecretMasker(['A', 'B'], { A: 'inner', B: 'outer-inner-outer' });
    expect(m.mask('x outer-inner-outer y inner')).toBe('x *** y ***');
  });
});

describe('every form of a secret is masked in the journal, reports and output (drillbook run)', () => {
  const ws = workspace();
  const r = runFile(ws, 'test/fixtures/run/secrets.yaml', 'INC-302', ['--mode', 'auto'], {
    DRILL_TOKEN: SECRET,
    OTHER_TOKEN: 'unused-other',
  });
  const dir = onlyRunDir(ws);
  const report = reportOf(dir);
  const step = (id: string) => report.steps.find((s) => s.id === id);

  it('runs every variant', () => {
    expect(r.stderr).toBe('');
    expect(step('quoted')?.error).toMatch(
      /^Command failed with ENOENT: \/nonexistent\/drill-tool '--password=\*\*\*' '\*\*\*'/,
    );
    expect(step('encoded')?.output).toBe('{"t":"***"}\nhttps://x.test/?t=***\nt=***');
    for (const id of ['cut-quarter', 'cut-half', 'cut-near-end', 'cut-on-stderr'])
      expect(step(id)?.output).toMatch(/^\[\d+ earlier bytes of output dropped\]\n/);
    expect(step('message-cut')?.error).toContain('(got mmmmmmmmmm');
  });

  it('leaves no piece of the secret, in any form, in the journal, the reports or the output', () => {
    for (const file of ['journal.jsonl', 'report.json', 'report.md'])
      expect({ file, leaked: leaked(readFileSync(join(dir, file), 'utf8')) }).toEqual({ file, leaked: [] });
    expect(leaked(r.stdout + r.stderr)).toEqual([]);
    const markdown = drillbook(['report', 'latest', '--format', 'markdown'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(leaked(markdown.stdout)).toEqual([]);
  });
});
