import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { formatDuration } from '../../src/model/duration.js';
import type { IncidentHistory } from '../../src/report/build-history.js';
import { launchChromium } from '../helpers/browser.js';
import { drillbook } from '../helpers/cli.js';
import { api, createToken, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/serve/console.yaml';
const RED = 'rgb(198, 40, 40)';

/** An element's computed colour property, as the person sees it. */
function colour(locator: Locator, property: string): Promise<string> {
  // The tests have no DOM types: the page's own getComputedStyle, typed by hand.
  type Styles = { getComputedStyle(e: unknown): { getPropertyValue(p: string): string } };
  return locator.evaluate(
    (e: unknown, p: string) => (globalThis as unknown as Styles).getComputedStyle(e).getPropertyValue(p),
    property,
  );
}

/** What every page of a test did that it must not: console errors, requests off loopback. */
interface Watch {
  errors: string[];
  /** Errors a test provokes on purpose (Chromium logs a refused request as a console error). */
  expected: RegExp[];
  offLoopback: string[];
  requests: { url: string; headers: Record<string, string> }[];
}

describe('drillbook serve: the web console in Chromium', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let browser: Browser;
  let runner = '';
  let viewer = '';
  /** Approvers: carol starts the run that needs approval, dana is one of its approvers, frank is not. */
  const approver = { carol: '', dana: '', frank: '' };
  const contexts: BrowserContext[] = [];
  const watches: Watch[] = [];

  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'ic-runner');
    viewer = createToken(db.url, 'viewer', 'scribe');
    for (const name of ['carol', 'dana', 'frank'] as const) approver[name] = createToken(db.url, 'approver', name);
    serve = await startService('serve', ['-f', FIXTURE, '--concurrency', '2'], db.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await db?.drop();
  });
  afterEach(async () => {
    const seen = watches.splice(0);
    for (const c of contexts.splice(0)) await c.close();
    // Every page of the test: nothing logged as an error, nothing asked of any host but this service.
    const problems = [
      ...seen.flatMap((w) => w.errors.filter((e) => !w.expected.some((x) => x.test(e)))),
      ...seen.flatMap((w) => w.offLoopback.map((u) => `off loopback: ${u}`)),
    ];
    if (problems.length > 0) throw new Error(`the console's pages: ${problems.join('; ')}`);
  });

  /** A new browser context (a person), its page signed in with `token` through the sign-in form. */
  async function signedIn(path: string, token: string, width = 1280): Promise<{ page: Page; watch: Watch }> {
    const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
    contexts.push(context);
    const page = await context.newPage();
    const watch: Watch = { errors: [], expected: [], offLoopback: [], requests: [] };
    watches.push(watch);
    page.on('console', (m) => {
      if (m.type() === 'error') watch.errors.push(m.text());
    });
    page.on('pageerror', (e) => watch.errors.push(e.message));
    page.on('request', (r) => {
      const url = new URL(r.url());
      if (!['blob:', 'data:'].includes(url.protocol) && url.hostname !== '127.0.0.1') watch.offLoopback.push(r.url());
      watch.requests.push({ url: r.url(), headers: r.headers() });
    });
    await page.goto(`${serve.url}${path}`);
    await page.getByLabel('API token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    return { page, watch };
  }

  async function startRun(incident: string, vars: Record<string, string> = {}): Promise<string> {
    const r = await api(serve.url, 'POST', '/api/runs', {
      token: runner,
      body: { runbook: 'console-fixture', incident, mode: 'auto', environment: 'test', vars },
    });
    expect(r.status).toBe(202);
    return r.body.id;
  }

  /** The event ids in the page's log, in order, and the journal's lines from the API. */
  async function logIdsAndJournal(page: Page, id: string): Promise<{ shown: number[]; journal: number[] }> {
    const ids = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#log li')].map((li) => li.dataset.eventId)`,
    );
    const shown = ids.map(Number);
    const events = await api(serve.url, 'GET', `/api/runs/${id}/events`, { token: viewer });
    return { shown, journal: events.body.events.map((e) => e.seq) };
  }

  it('a live auto run: steps appear as journaled, the slow phase turns red while its step still runs, the verdict ends it', async () => {
    const id = await startRun('INC-601', { pause: '4' });
    const { page } = await signedIn(`/console/live?run=${id}`, viewer);
    const step = (s: string) => page.locator(`[data-step="${s}"]`).first();
    await page.locator('[data-step="copy-backup"][data-status="running"]').waitFor();
    // The first step is journaled as passed, the last not started, and the run has no verdict yet.
    expect(await step('first').getAttribute('data-status')).toBe('passed');
    expect(await step('last').getAttribute('data-status')).toBe('pending');
    await expect.poll(() => page.locator('#current dd').first().textContent()).toContain('copy-backup');
    // The command as the run filled it: its own variable (pause=4), once the plan is read from its journal.
    await expect.poll(() => page.locator('#current').textContent()).toContain('sleep 4');
    expect(await page.locator('#current').textContent()).toContain('the copy finishes');
    expect(await page.locator('#current').textContent()).toContain('ic-runner');
    // The 1s budget passes while the 4s sleep runs: the phase is red before the step has finished.
    const copy = page.locator('[data-phase="copy"]');
    await page.locator('[data-phase="copy"].over').waitFor();
    expect(await step('copy-backup').getAttribute('data-status')).toBe('running');
    expect(await colour(copy.locator('.phase-head'), 'color')).toBe(RED);
    expect(await colour(copy.locator('.fill'), 'background-color')).toBe(RED);
    expect(await page.locator('#verdict .verdict').count()).toBe(0);
    // The journal's overrun event reaches the log, in red, while the step still runs (journaled when it happened).
    const overrun = page.locator('#log li', { hasText: 'OVERRUN: phase copy passed its budget of 1s' });
    await overrun.waitFor();
    expect(await colour(overrun, 'color')).toBe(RED);
    expect(await step('copy-backup').getAttribute('data-status')).toBe('running');
    const verdict = page.locator('#verdict .verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.locator('.headline').textContent()).toBe('RECOVERED WITHIN TARGET');
    expect(await step('last').getAttribute('data-status')).toBe('passed');
    const { shown, journal } = await logIdsAndJournal(page, id);
    expect(shown).toEqual(journal);
    expect(await page.locator('#log').getAttribute('aria-live')).toBe('polite');
  });

  it('a dropped stream reconnects with Last-Event-ID: the log has every journal line once, in order', async () => {
    const id = await startRun('INC-601', { pause: '3' });
    const { page, watch } = await signedIn(`/console/live?run=${id}`, viewer);
    await page.locator('[data-step="copy-backup"][data-status="running"]').waitFor();
    const before = await page.locator('#log li').count();
    await page.evaluate('window.drillbookConsole.dropStream()');
    await page.locator('#verdict .verdict').waitFor({ timeout: 30_000 });
    const { shown, journal } = await logIdsAndJournal(page, id);
    expect(shown).toEqual(journal);
    expect(new Set(shown).size).toBe(shown.length);
    expect(shown).toEqual(Array.from({ length: shown.length }, (_, i) => i + 1));
    // The second connection asked for the lines after the last one shown before the drop.
    const streams = watch.requests.filter((r) => r.url.endsWith(`/api/runs/${id}/events`));
    expect(streams.length).toBeGreaterThanOrEqual(2);
    expect(Number(streams[1]?.headers['last-event-id'])).toBeGreaterThanOrEqual(before);
  });

  it("the drill board's figures are drillbook history --json's for the same runs, and a weekly drill never run is overdue", async () => {
    const board = async () =>
      (await api(serve.url, 'GET', '/api/board', { token: viewer })).body as unknown as {
        incidents: { id: string; history: IncidentHistory | null; check: { status: string } | null }[];
      };
    expect((await board()).incidents.find((i) => i.id === 'INC-602')?.check?.status).toBe('OVERDUE');
    const home = mkdtempSync(join(tmpdir(), 'drillbook-console-home-'));
    try {
      const env = { DRILLBOOK_HOME: home, DRILLBOOK_STORE: db.url };
      for (const mode of ['auto', 'auto', 'simulate'])
        expect(
          drillbook(['run', 'INC-602', '-f', FIXTURE, '--env', 'test', '--mode', mode, '--yes'], { env }).status,
        ).toBe(0);
      expect(drillbook(['sync'], { env }).status).toBe(0);
      const local = drillbook(['history', '--json'], { env: { DRILLBOOK_HOME: home, DRILLBOOK_STORE: '' } });
      const expected = (JSON.parse(local.stdout) as { incidents: IncidentHistory[] }).incidents.find(
        (i) => i.id === 'INC-602',
      );
      expect(expected?.realRuns).toBe(2);
      const entry = (await board()).incidents.find((i) => i.id === 'INC-602');
      expect(entry?.history).toEqual(expected);
      expect(entry?.check?.status).toBe('ok');
      const { page } = await signedIn('/console/board', viewer);
      const row = page.locator('[data-key="console-fixture/INC-602"]');
      await row.waitFor();
      const h = expected as IncidentHistory;
      const d = (ms: number | null) => (ms === null ? 'n/a' : formatDuration(Math.round(ms)));
      expect(await row.locator('[data-field="ttr"]').textContent()).toBe(
        `${d(h.meanTtrMs)} / ${d(h.worstTtrMs)} vs 5m`,
      );
      expect(await row.locator('[data-field="rto-met"]').textContent()).toBe(
        `${h.rtoCompliance.met}/${h.rtoCompliance.of} (${h.rtoCompliance.rate}%)`,
      );
      expect(await row.locator('[data-field="status"] .badge').textContent()).toBe('ok');
      expect(await row.locator('[data-field="trend"] svg circle').count()).toBe(h.recentTtrMs.length);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('History downloads a run report as PDF that pdftotext reads back with the verdict; usable at 420 px', async () => {
    const id = await startRun('INC-602');
    const done = await runReaches(serve.url, runner, id, ['finished']);
    const runId = done.body.request.runId;
    const { page } = await signedIn('/console/history?incident=INC-602', viewer, 420);
    const button = page.getByRole('button', { name: `PDF report of run ${runId}` });
    await button.waitFor();
    const width = await page.evaluate<number>('document.documentElement.scrollWidth');
    expect(width).toBeLessThanOrEqual(420);
    const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
    const dir = mkdtempSync(join(tmpdir(), 'drillbook-console-pdf-'));
    try {
      const file = join(dir, download.suggestedFilename());
      await download.saveAs(file);
      expect(file.endsWith('.pdf')).toBe(true);
      const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
      expect(text).toContain('RECOVERED WITHIN TARGET');
      expect(text).toContain(runId);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('format=pdf without a Chromium answers 503 with what to install', async () => {
    const saved = process.env.DRILLBOOK_CHROMIUM;
    process.env.DRILLBOOK_CHROMIUM = '/nonexistent/chromium';
    const bare = await startService('serve', ['--no-worker'], db.url).finally(() => {
      if (saved === undefined) delete process.env.DRILLBOOK_CHROMIUM;
      else process.env.DRILLBOOK_CHROMIUM = saved;
    });
    try {
      const runs = await api(bare.url, 'GET', '/api/runs?incident=INC-602', { token: viewer });
      const runId = runs.body.runs[0]?.runId ?? '';
      const pdf = await api(bare.url, 'GET', `/api/runs/${runId}/report?format=pdf`, { token: viewer });
      expect(pdf.status).toBe(503);
      expect(pdf.body.error).toMatch(/needs a headless Chromium, and there is none at \/nonexistent\/chromium/);
    } finally {
      await bare.stop();
    }
  });

  it('approvals: a second person approves in their own browser and the waiting run finishes; the starter gets no Approve, a non-approver a refusal', async () => {
    const started = await api(serve.url, 'POST', '/api/runs', {
      token: approver.carol,
      body: { runbook: 'console-fixture', incident: 'INC-603', mode: 'auto', environment: 'test' },
    });
    expect(started.status).toBe(202);
    const id = started.body.id;
    // The starter: her run's live view says it waits, and her inbox offers no Approve on her own request.
    const carol = await signedIn(`/console/live?run=${id}`, approver.carol);
    await carol.page.locator('[data-waiting="promote-replica"]').waitFor({ timeout: 60_000 });
    expect(await carol.page.locator('#current').textContent()).toContain('dana, erin');
    const carolInbox = await signedIn('/console/approvals', approver.carol);
    const own = carolInbox.page.locator('[data-approval]');
    await own.waitFor();
    expect(await own.textContent()).toContain('You asked for this step');
    expect(await own.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    // An approver the step does not name: the API's refusal, shown as it is.
    const frank = await signedIn('/console/approvals', approver.frank);
    frank.watch.expected.push(/status of 403 \(Forbidden\)/);
    await frank.page.locator('[data-approval]').getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => frank.page.locator('#approval-error').textContent()).toMatch(/^Refused: .+/);
    // A named approver, in a browser of his own: the step, its command, why, who asked, the time left; Approve.
    const dana = await signedIn('/console/approvals', approver.dana);
    const card = dana.page.locator('[data-approval]');
    await card.waitFor();
    const text = (await card.textContent()) ?? '';
    for (const part of [
      'Promote the replica (promote-replica)',
      'true',
      'a second engineer checks the replica lag',
      'carol',
    ])
      expect(text).toContain(part);
    expect(await card.locator('[data-deadline]').textContent()).toMatch(/^(1m\d\ds|2m)$/);
    await card.getByLabel('Comment (optional)').fill('lag is 0');
    await card.getByRole('button', { name: 'Approve' }).click();
    const done = await runReaches(serve.url, viewer, id, ['finished', 'failed']);
    expect(done.body.request.exitCode).toBe(0);
    await dana.page.getByText('Nothing waits for approval.').waitFor();
    const verdict = carol.page.locator('#verdict .verdict');
    await verdict.waitFor({ timeout: 30_000 });
    expect(await verdict.locator('.headline').textContent()).toBe('RECOVERED WITHIN TARGET');
    expect(await carol.page.locator('#log').textContent()).toContain('step promote-replica approved by dana: lag is 0');
  });
});
