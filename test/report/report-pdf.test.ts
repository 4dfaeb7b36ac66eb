import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { runFile, workspace, type Workspace } from '../helpers/runs.js';

/** The PDF's text, page by page, as pdftotext (poppler-utils, installed by npm test's pretest) reads it. */
function pdfText(file: string): string {
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

function report(ws: Workspace, args: string[], env: NodeJS.ProcessEnv = {}) {
  return drillbook(['report', 'latest', ...args], { env: { DRILLBOOK_HOME: ws.home, ...env } });
}

describe('drillbook report --format pdf (headless Chromium)', () => {
  it('prints a failed run with its verdict, cause and page numbers', () => {
    const ws = workspace();
    expect(runFile(ws, 'test/fixtures/run/verdict.yaml', 'INC-204', ['--mode', 'auto']).status).toBe(1);
    const out = join(ws.dir, 'failed.pdf');
    const r = report(ws, ['--format', 'pdf', '--out', out]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(out);
    expect(text).toContain('FAILED');
    expect(text).toMatch(/Verdict: FAILED at step "count-keys": exit code 4/);
    expect(text).toMatch(/page 1 of \d+/);
  });

  it('prints a simulation as SIMULATED, and writes the PDF to a redirected standard output', () => {
    const ws = workspace();
    expect(drillbook(['run', 'INC-003', '--mode', 'simulate'], { env: { DRILLBOOK_HOME: ws.home } }).status).toBe(0);
    const r = report(ws, ['--format', 'pdf']);
    expect(r.status).toBe(0);
    const out = join(ws.dir, 'stdout.pdf');
    execFileSync('sh', ['-c', `node bin/drillbook.js report latest --format pdf > "${out}"`], {
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
    });
    expect(pdfText(out)).toContain('SIMULATED');
  });

  it('without a browser: one clear line naming what to install, exit 1, no file', () => {
    const ws = workspace();
    runFile(ws, 'test/fixtures/run/verdict.yaml', 'INC-204', ['--mode', 'auto']);
    const out = join(ws.dir, 'none.pdf');
    const r = report(ws, ['--format', 'pdf', '--out', out], { DRILLBOOK_CHROMIUM: join(ws.dir, 'no-chromium') });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(
      /needs a headless Chromium, and there is none at .*no-chromium.*chromium package.*DRILLBOOK_CHROMIUM/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it('--out into a folder that does not exist: one clear line, exit 1, nothing written', () => {
    const ws = workspace();
    runFile(ws, 'test/fixtures/run/verdict.yaml', 'INC-204', ['--mode', 'auto']);
    const r = report(ws, ['--format', 'markdown', '--out', join(ws.dir, 'missing', 'r.md')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^drillbook: cannot write .*missing\/r\.md \(ENOENT.*nothing was written/);
    expect(r.stderr).not.toMatch(/ at .*\.js:\d+/);
  });
});
