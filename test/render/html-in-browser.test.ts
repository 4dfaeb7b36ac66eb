import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { drillbook, ROOT } from '../helpers/cli.js';
import { runFixture, workspace } from '../helpers/runs.js';

/** Screenshots land here (gitignored), for a person to look at what the tests saw. */
const OUTPUT = join(ROOT, 'test-output');

let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await (browser as Browser | undefined)?.close();
});

interface Visit {
  page: Page;
  requests: string[];
  errors: string[];
}

/** Opens a file and records every request and every console error or uncaught exception. */
async function open(file: string): Promise<Visit> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => {
    errors.push(error.message);
  });
  // Every request is recorded; anything that would leave the machine is refused, so the test is offline too.
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    requests.push(url);
    if (url.startsWith('file:') || url.startsWith('data:')) await route.continue();
    else await route.abort();
  });
  await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });
  return { page, requests, errors };
}

function saved(name: string, content: string): string {
  const file = join(OUTPUT, name);
  writeFileSync(file, content);
  return file;
}

describe('HTML documents in headless Chromium', () => {
  it('shows the HTML runbook: headings, tables, task lists; offline and without errors', async () => {
    const r = drillbook(['render', '--format', 'html']);
    expect(r.status).toBe(0);
    const { page, requests, errors } = await open(saved('runbook.html', r.stdout));
    expect(await page.title()).toBe('THE_BOT platform disaster recovery');
    expect(await page.locator('h2[id^="inc-"]').count()).toBe(6);
    expect(await page.locator('table').count()).toBeGreaterThan(30);
    expect(await page.locator('pre > code.language-sh').count()).toBeGreaterThan(50);
    expect(await page.locator('li > input[type="checkbox"]').count()).toBeGreaterThan(100);
    // The contents link to headings that exist in the page.
    const targets = await page.evaluate<string[]>(
      `[...document.querySelectorAll('a[href^="#"]')].map((a) => a.getAttribute('href').slice(1))`,
    );
    const ids = new Set(await page.evaluate<string[]>(`[...document.querySelectorAll('[id]')].map((e) => e.id)`));
    expect(targets.length).toBeGreaterThan(40);
    expect(targets.filter((id) => !ids.has(id))).toEqual([]);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, 'runbook.png') });
    await page.emulateMedia({ media: 'print' });
    await page.screenshot({ path: join(OUTPUT, 'runbook-print.png') });
    await page.close();
  });

  it('shows the HTML run report: the timeline chart (svg), an overrun in red, the tables; offline and without errors', async () => {
    const ws = workspace();
    // INC-107 overruns its 1s budget and its 1s RTO: the chart must show it in red.
    expect(runFixture(ws, 'INC-107', ['--mode', 'auto']).status).toBe(3);
    const r = drillbook(['report', 'latest', '--format', 'html'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(r.status).toBe(0);
    const { page, requests, errors } = await open(saved('report.html', r.stdout));
    const chart = page.locator('svg.timeline-chart');
    expect(await chart.count()).toBe(1);
    expect((await chart.boundingBox())?.width).toBeGreaterThan(500);
    expect(await chart.locator('g.rto-line').count()).toBe(1);
    const overrun = chart.locator('g.phase[data-overrun="true"] rect[fill="#c62828"]');
    expect(await overrun.count()).toBe(1);
    expect(await page.locator('table').count()).toBeGreaterThanOrEqual(3);
    expect(await page.locator('h2#test-documentation + .scroll td').first().textContent()).toMatch(
      /^\d{4}-\d{2}-\d{2}$/,
    );
    expect(await page.locator('h2#status-updates').count()).toBe(1);
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith('file:') && !u.startsWith('data:'))).toEqual([]);
    await page.screenshot({ path: join(OUTPUT, 'report.png'), fullPage: true });
    await page.close();
  });

  it('refuses network requests even when runbook text tries to make one', async () => {
    // The page's Content-Security-Policy blocks fetches; raw HTML in runbook text is shown, not run.
    const r = drillbook(['render', '--format', 'html']);
    const hostile = r.stdout.replace('</main>', '<img src="https://example.com/x.png"></main>');
    const { requests } = await open(saved('hostile.html', hostile));
    expect(requests.filter((u) => u.startsWith('http'))).toEqual([]);
  });
});
