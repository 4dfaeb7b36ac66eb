import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { ROOT } from '../helpers/cli.js';
import { api, createToken, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, type ScratchDatabase } from '../helpers/store.js';

/** Screenshots land here (gitignored), for a person to look at what the test saw. */
const OUTPUT = join(ROOT, 'test-output');

describe('the tabletop room in headless Chromium', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let runner = '';
  const requests: string[] = [];
  const errors: string[] = [];

  beforeAll(async () => {
    mkdirSync(OUTPUT, { recursive: true });
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'facilitator-fay');
    serve = await startService('serve', ['-f', 'playbooks/thebot-dr.yaml', '--no-worker'], db.url);
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    // The console's sign-in keeps the token in sessionStorage; the room reads the same key.
    await context.addInitScript({ content: `sessionStorage.setItem('drillbook.token', ${JSON.stringify(runner)})` });
    // Every request is recorded; one that would leave loopback is refused, so the room works offline too.
    await context.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith(`${serve.url}/`) || url.startsWith('data:')) await route.continue();
      else await route.abort();
    });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => {
      errors.push(error.message);
    });
  }, 120_000);
  afterAll(async () => {
    await (browser as Browser | undefined)?.close();
    await serve?.stop();
    await db?.drop();
  });

  it('starts a session, shows injects as the driven clock reaches them, and files a typed decision in the report', async () => {
    const response = await page.goto(`${serve.url}/console/tabletop`);
    // A view of the console: its header and navigation with Tabletop current, its CSP (no inline style either).
    expect(response?.headers()['content-security-policy']).toContain("style-src 'self';");
    expect(await page.locator('nav[aria-label="Console"] a[aria-current="page"]').textContent()).toBe('Tabletop');
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByLabel('Incident').selectOption({ value: 'thebot-dr\nINC-003' });
    await page.getByRole('button', { name: 'Start session' }).click();
    await page.locator('#room').waitFor();
    const id = new URL(page.url()).searchParams.get('session') ?? '';
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await page.getByRole('button', { name: 'Pause' }).click();
    await page.getByRole('button', { name: 'Resume' }).waitFor();
    expect(await page.locator('#scenario').textContent()).toMatch(/\S/);
    await expect.poll(() => page.locator('#phase-title').textContent()).toBe('Briefing');
    expect(await page.locator('#injects li').count()).toBe(0);
    expect(await page.locator('#next-inject').textContent()).toBe('Next inject at T+0:12:00 (0 of 4 so far)');

    // The facilitator's API drives the clock: the first inject is 12 minutes in (a 9-minute briefing, then 3m).
    const advanced = await api(serve.url, 'POST', `/api/tabletop/sessions/${id}/clock`, {
      token: runner,
      body: { action: 'advance', by: '12m' },
    });
    expect(advanced.status).toBe(200);
    await page.locator('#injects li[data-n="1"]').waitFor();
    expect(await page.locator('#injects li[data-n="1"]').textContent()).toMatch(
      /^T\+0:12:00The replica is also lagging/,
    );
    expect(await page.locator('#injects li').count()).toBe(1);
    expect(await page.locator('#phase-title').textContent()).toBe(
      'Phase 2: Declare the incident and verify the replica is ready',
    );
    expect(await page.locator('#questions li').count()).toBeGreaterThan(0);

    // The room's own buttons drive it too: three minutes more reach the second inject, and only it.
    for (let i = 0; i < 3; i++) await page.getByRole('button', { name: '+1 min' }).click();
    await page.locator('#injects li[data-n="2"]').waitFor();
    expect(await page.locator('#injects li').count()).toBe(2);
    expect(await page.locator('#injects li').first().getAttribute('class')).toBe('inject newest');

    await page.getByLabel('Decision').fill('Promote now and accept 10 s of lost writes');
    await page.getByRole('button', { name: 'Record decision' }).click();
    await page.locator('#decisions li', { hasText: 'Promote now and accept 10 s of lost writes' }).waitFor();
    await page.getByLabel('Gap found').fill('The replica lag alert goes to nobody');
    await page.getByRole('button', { name: 'Record gap' }).click();
    await page.getByLabel('Action item').fill('Route the lag alert to the on-call DBA');
    await page.getByLabel('Owner').fill('Database Lead');
    await page.getByRole('button', { name: 'Record action item' }).click();
    await page.locator('#actions li', { hasText: 'owner Database Lead' }).waitFor();
    expect(await page.locator('#decision-text').inputValue()).toBe('');

    await page.screenshot({ path: join(OUTPUT, 'tabletop-1280.png'), fullPage: true });
    await page.setViewportSize({ width: 420, height: 900 });
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(420);
    await page.screenshot({ path: join(OUTPUT, 'tabletop-420.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });

    await page.getByRole('button', { name: 'End session' }).click();
    const report = page.locator('#report');
    await report.getByRole('heading', { name: /^DR drill report: tabletop INC-003/ }).waitFor();
    expect(await report.locator('table', { hasText: 'Promote now and accept 10 s of lost writes' }).count()).toBe(2);
    expect(await report.textContent()).toContain('Route the lag alert to the on-call DBA');
    expect(await page.getByRole('button', { name: '+1 min' }).isDisabled()).toBe(true);
    await page.screenshot({ path: join(OUTPUT, 'tabletop-report.png'), fullPage: true });

    const md = await api(serve.url, 'GET', `/api/tabletop/sessions/${id}/report`, { token: runner });
    expect(md.text).toContain('| 1 | Promote now and accept 10 s of lost writes |');
    expect(md.text).toContain('| 1 | Route the lag alert to the on-call DBA | Database Lead | — |');

    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${serve.url}/`))).toEqual([]);
  }, 120_000);

  it('asks for a token when the console has none, and keeps it in the same sessionStorage key', async () => {
    const fresh = await browser.newContext({ viewport: { width: 420, height: 800 } });
    await fresh.route('**/*', async (route) => {
      const url = route.request().url();
      requests.push(url);
      if (url.startsWith(`${serve.url}/`)) await route.continue();
      else await route.abort();
    });
    const p = await fresh.newPage();
    p.on('pageerror', (error) => errors.push(error.message));
    await p.goto(`${serve.url}/console/tabletop`);
    await p.getByLabel(/API token/).fill(runner);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Start a session' }).waitFor();
    expect(await p.evaluate("sessionStorage.getItem('drillbook.token')")).toBe(runner);
    // The session of the first test is listed, ended, with a link into its room.
    await p.locator('#sessions li', { hasText: 'INC-003' }).waitFor();
    expect(await p.locator('#sessions li').count()).toBe(1);
    expect(await p.locator('#sessions li').textContent()).toMatch(/\(ended\) by facilitator-fay$/);
    await fresh.close();
    expect(errors).toEqual([]);
    expect(requests.filter((u) => !u.startsWith(`${serve.url}/`))).toEqual([]);
  });
});
