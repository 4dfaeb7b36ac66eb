import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Step } from '../../src/model/runbook.js';
import { incidentViews } from '../../src/render/render-input.js';
import { commandText } from '../../src/render/runbook/step-markdown.js';
import { phaseLabel } from '../../src/render/markdown/text.js';
import { CHROMIUM, launchChromium } from '../helpers/browser.js';
import { drillbook, ROOT } from '../helpers/cli.js';
import { find } from './find.js';
import { shippedInput } from './markdown-tokens.js';

/**
 * What a facilitator prints and a responder opens on a phone: the rendered documents in headless Chromium,
 * on screen at 1280 and 420 px and printed to PDF, read back page by page with pdftotext (poppler-utils).
 * Without a browser the tests are skipped on a workstation; under CI=true they fail instead.
 */
const OUTPUT = join(ROOT, 'test-output', 'pages');
const runnable = process.env.CI === 'true' || (existsSync(CHROMIUM) && hasPdftotext());

const { runbook } = shippedInput();
let browser: Browser;
let dir: string;

beforeAll(async () => {
  if (!runnable) return;
  mkdirSync(OUTPUT, { recursive: true });
  dir = mkdtempSync(join(tmpdir(), 'drillbook-pages-'));
  const r = drillbook(['render', '--format', 'html', '--out', dir]);
  if (r.status !== 0) throw new Error(`render failed: ${r.stderr}`);
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
});

/** Opens a rendered file offline: anything but file: and data: URLs is refused. */
async function open(name: string, width = 1280, colorScheme: 'light' | 'dark' = 'light'): Promise<Page> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, colorScheme });
  await page.route('**/*', async (route) =>
    /^(file|data):/.test(route.request().url()) ? route.continue() : route.abort(),
  );
  await page.goto(pathToFileURL(join(dir, name)).href, { waitUntil: 'load' });
  return page;
}

/** Prints a rendered file to A4 PDF as a person would (no background graphics) and returns each page's text. */
async function printedPages(name: string): Promise<string[]> {
  const page = await open(name);
  const pdf = join(OUTPUT, name.replace(/\.html$/, '.pdf'));
  await page.pdf({ path: pdf, format: 'A4' });
  await page.close();
  const count = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [pdf], { encoding: 'utf8' }))?.[1]);
  return Array.from({ length: count }, (_, i) =>
    execFileSync('pdftotext', ['-f', String(i + 1), '-l', String(i + 1), pdf, '-'], { encoding: 'utf8' }),
  );
}

function hasPdftotext(): boolean {
  try {
    execFileSync('pdftotext', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/**
 * The page an incident starts on: the first whose running header is the incident, which must begin with
 * the incident's heading (a new page, nothing of it on the page before).
 */
function firstPageOf(pages: string[], heading: string): number {
  const starts = pages.findIndex((text) => lines(text)[0] === heading);
  const body = lines(pages[starts] ?? '')
    .slice(1)
    .join(' ');
  const before = lines(pages[starts - 1] ?? '')[0];
  expect({ heading, starts: starts > 0, first: body.startsWith(heading), newPage: before !== heading }).toEqual({
    heading,
    starts: true,
    first: true,
    newPage: true,
  });
  return starts;
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '');

describe.runIf(runnable)('the rendered pages in headless Chromium: phones, paper, dark mode', () => {
  it('never scrolls the page sideways at 420 px, on any rendered page (tables and code scroll in their own box)', async () => {
    const files = readdirSync(dir)
      .filter((f) => f.endsWith('.html'))
      .sort();
    expect(files).toEqual([
      'checklists.html',
      'runbook.html',
      ...runbook.incidents.map((i) => `tabletop-${i.id}.html`),
    ]);
    const overflowing: string[] = [];
    for (const file of files) {
      for (const width of [1280, 420]) {
        const page = await open(file, width);
        const { scroll, client } = await page.evaluate<{ scroll: number; client: number }>(
          '({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth })',
        );
        if (scroll > client) overflowing.push(`${file} at ${width}px: ${scroll}px wide`);
        await page.screenshot({ path: join(OUTPUT, `${file.replace(/\.html$/, '')}-${width}.png`) });
        await page.close();
      }
    }
    expect(overflowing).toEqual([]);
  });

  it('prints each incident step checklist from a new page, under a running header with its id, with page numbers', async () => {
    const pages = await printedPages('checklists.html');
    expect(pages.length).toBeGreaterThan(runbook.incidents.length);
    pages.forEach((text, i) => {
      expect(text).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    for (const incident of runbook.incidents) {
      const heading = `${incident.id} ${incident.title}`;
      const starts = firstPageOf(pages, heading);
      // Every page of the incident's checklist carries its id in the running header.
      const next = pages.findIndex((text, i) => i > starts && !lines(text)[0]?.startsWith(`${incident.id} `));
      expect(pages.slice(starts, next < 0 ? undefined : next).every((text) => lines(text)[0] === heading)).toBe(true);
    }
  });

  it('prints each step heading on the same page as its command, and each incident of the runbook from a new page', async () => {
    const pages = await printedPages('runbook.html');
    const steps = incidentViews(shippedInput()).flatMap((view) =>
      view.incident.phases.flatMap((p, n) =>
        p.steps.map((s, m) => ({ title: `${n + 1}.${m + 1} ${s.title}`, command: commandText(view.step(s.id)) })),
      ),
    );
    const separated: string[] = [];
    let checked = 0;
    for (const { title, command } of steps) {
      const on = pages.filter((text) => lines(text).some((l) => l === title || l === `${title} DESTRUCTIVE`));
      // A word of the command's first line that pdftotext gives back whole.
      const word =
        (command?.split('\n')[0]?.split(' ') ?? [])
          .filter((w) => /^[A-Za-z][\w-]{4,}$/.test(w))
          .sort((a, b) => b.length - a.length)[0] ?? '';
      if (on.length === 0 || word === '') continue;
      checked += 1;
      if (!on.some((text) => text.includes(word))) separated.push(`${title} (${word})`);
    }
    expect(checked).toBeGreaterThan(25);
    expect(separated).toEqual([]);
    for (const incident of runbook.incidents) {
      const heading = `${incident.id}: ${incident.title}`;
      firstPageOf(pages, heading);
    }
  });

  it('gives the tabletop agenda each phase for exactly its budget', async () => {
    for (const incident of runbook.incidents) {
      const page = await open(`tabletop-${incident.id}.html`);
      const rows = await page.evaluate<string[][]>(
        `[...document.querySelector('h2#agenda ~ .table-scroll').querySelectorAll('tbody tr')].map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent))`,
      );
      await page.close();
      for (const [i, phase] of incident.phases.entries()) {
        expect([incident.id, find(rows, (r) => r[0] === phaseLabel(i, phase.title), phase.title)[3]]).toEqual([
          incident.id,
          phase.budget,
        ]);
      }
    }
  });

  it('marks every destructive step of the HTML runbook with a badge and a red border; commands are code', async () => {
    const page = await open('runbook.html');
    const confirmed = (steps: Step[] | undefined): number => (steps ?? []).filter((s) => s.confirm === true).length;
    const expected = runbook.incidents.reduce(
      (n, i) =>
        n +
        i.phases.reduce((m, p) => m + confirmed(p.steps), 0) +
        confirmed(i.rollback) +
        confirmed(i.always) +
        confirmed(i.cleanup),
      0,
    );
    expect(expected).toBeGreaterThan(10);
    expect(await page.locator('.step.destructive h4 .badge.destructive').count()).toBe(expected);
    expect(await page.locator('.step:not(.destructive) .badge').count()).toBe(0);
    const border = await page.evaluate<{ width: string; color: string }>(
      `(() => { const s = getComputedStyle(document.querySelector('.step.destructive')); return { width: s.borderLeftWidth, color: s.borderLeftColor }; })()`,
    );
    expect(border).toEqual({ width: '4px', color: 'rgb(198, 40, 40)' });
    await page.close();
    const checklists = await open('checklists.html');
    expect(
      await checklists.locator('li:has(> input[type="checkbox"]) > pre.code > code.language-sh').count(),
    ).toBeGreaterThan(50);
    await checklists.close();
  });

  it('never makes `ssh user@host` a mailto link', async () => {
    const page = await open('runbook.html');
    expect(await page.locator('a[href^="mailto:"]').count()).toBe(0);
    expect(await page.locator('body').textContent()).toContain('ssh monitoring@prod-monitor.example.com');
    await page.close();
  });

  it('turns dark on a dark screen, and stays light in print', async () => {
    const page = await open('runbook.html', 1280, 'dark');
    const background = () => page.evaluate<string>('getComputedStyle(document.body).backgroundColor');
    expect(await background()).toBe('rgb(13, 17, 23)');
    await page.screenshot({ path: join(OUTPUT, 'runbook-dark.png') });
    await page.emulateMedia({ media: 'print' });
    expect(await background()).toBe('rgb(255, 255, 255)');
    await page.close();
  });
});
