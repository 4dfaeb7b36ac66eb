import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { drillbook, ROOT } from '../helpers/cli.js';
import { workspace } from '../helpers/runs.js';

const OUTPUT = join(ROOT, 'test-output');

let browser: Browser;

beforeAll(async () => {
  mkdirSync(OUTPUT, { recursive: true });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser.close();
});

describe('the HTML report of a failed run, in headless Chromium', () => {
  it('shows a red failure banner with the cause, marks the failed step, and draws no green recovery line', async () => {
    const ws = workspace();
    const run = drillbook(
      [
        'run',
        'INC-204',
        '-f',
        'test/fixtures/run/verdict.yaml',
        '--mode',
        'auto',
        '--var',
        `dir=${ws.dir}`,
        '--renderer',
        'plain',
      ],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(run.status).toBe(1);
    const html = drillbook(['report', 'latest', '--format', 'html'], { env: { DRILLBOOK_HOME: ws.home } });
    const file = join(OUTPUT, 'failed-run-report.html');
    writeFileSync(file, html.stdout);
    const page = await browser.newPage({ viewport: { width: 1200, height: 1600 } });
    await page.route('**/*', async (route) => {
      if (route.request().url().startsWith('file:')) await route.continue();
      else await route.abort();
    });
    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    const banner = page.locator('div.verdict[role="status"]');
    await expect.poll(() => banner.isVisible()).toBe(true);
    expect(await banner.locator('p.headline').innerText()).toBe('FAILED');
    expect(await banner.locator('p:not(.headline)').innerText()).toBe(
      'Verdict: FAILED at step "count-keys": exit code 4 — not recovered, RTO 5m not met (exit 1)',
    );
    // Status first: the banner comes before any figure or table.
    expect(
      await page.evaluate<boolean>(
        `document.querySelector('div.verdict').compareDocumentPosition(document.querySelector('div.summary')) === Node.DOCUMENT_POSITION_FOLLOWING`,
      ),
    ).toBe(true);
    expect(await banner.locator('pre').innerText()).toContain('ERROR: expected 5000 keys, found 1234');
    expect(await page.evaluate<string>(`getComputedStyle(document.querySelector('div.verdict')).color`)).toBe(
      'rgb(198, 40, 40)',
    );

    const svg = page.locator('svg.timeline-chart');
    expect(await svg.isVisible()).toBe(true);
    expect(await svg.locator('g.recovered-line').count()).toBe(0);
    expect(await svg.locator('[stroke="#2e7d32"], [fill="#2e7d32"]').count()).toBe(0);
    expect(await svg.locator('g.failed-step[data-step="count-keys"]').textContent()).toContain('count-keys failed');
    // the total row and the time-to-recover card say "not met", never "within target"
    const text = await page.locator('body').innerText();
    expect(text).not.toContain('within target');
    expect(text).toContain('RTO 5m: NOT MET (not recovered)');
    // Columns empty in every row are dropped: nobody reviewed this run yet, so no Reviewer column.
    const documentation = await page.locator('#test-documentation + .scroll th').allInnerTexts();
    expect(documentation).toContain('Tester');
    expect(documentation).not.toContain('Reviewer');
    await page.screenshot({ path: join(OUTPUT, 'failed-run-report.png'), fullPage: true });
    // On a phone the page never scrolls sideways: wide tables and the chart scroll in their own box.
    await page.setViewportSize({ width: 420, height: 900 });
    expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    await page.screenshot({ path: join(OUTPUT, 'failed-run-report-420.png'), fullPage: true });
    await page.close();
  });
});
