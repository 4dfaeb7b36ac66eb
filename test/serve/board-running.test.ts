import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium } from '../helpers/browser.js';
import { api, createToken, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { runInBackground, scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/serve/console.yaml';
const STARTED = '\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC';

interface BoardEntry {
  id: string;
  check: { status: string; text: string } | null;
  lastRun: { runId: string } | null;
  running: { runId: string } | null;
  history: { realRuns: number; failed: number } | null;
}

describe('drillbook serve: the drill board while a drill runs', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let runner = '';
  let viewer = '';
  let browser: Browser;

  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'ic-runner');
    viewer = createToken(db.url, 'viewer', 'manager');
    serve = await startService('serve', ['-f', FIXTURE], db.url);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await db?.drop();
  });

  async function inc601(): Promise<BoardEntry> {
    const r = await api(serve.url, 'GET', '/api/board', { token: viewer });
    expect(r.status).toBe(200);
    return (r.body as unknown as { incidents: BoardEntry[] }).incidents.find((i) => i.id === 'INC-601') as BoardEntry;
  }

  async function startRun(pause: string): Promise<string> {
    const r = await api(serve.url, 'POST', '/api/runs', {
      token: runner,
      body: { runbook: 'console-fixture', incident: 'INC-601', mode: 'auto', environment: 'test', vars: { pause } },
    });
    expect(r.status).toBe(202);
    return r.body.id;
  }

  /** Waits until the run's slow step (copy-backup) has started, as the store has it. */
  async function atSlowStep(runId: () => Promise<string | null>): Promise<string> {
    let id: string | null = null;
    await until(async () => {
      id = await runId();
      if (id === null) return false;
      const rows = await db.query(
        `select 1 from events where run_id = $1 and type = 'step-started' and payload->>'step' = 'copy-backup'`,
        [id],
      );
      return rows.length > 0;
    }, 'the run to reach its slow step');
    return id ?? '';
  }

  it("a service run in progress is not judged: the incident keeps its latest finished run's status, and says the drill runs now", async () => {
    const first = await runReaches(serve.url, runner, await startRun('0'), ['finished']);
    const done = first.body.request.runId;
    expect((await inc601()).check).toBeNull();
    const id = await startRun('15');
    const runId = await atSlowStep(
      async () => (await api(serve.url, 'GET', `/api/runs/${id}`, { token: viewer })).body.request.runId ?? null,
    );
    const during = await inc601();
    expect(during.check?.status).toBe('running');
    expect(during.check?.text).toMatch(
      new RegExp(
        `^drill running now \\(${runId}, started ${STARTED}\\); latest finished real run ${done}: within target$`,
      ),
    );
    expect(during.running?.runId).toBe(runId);
    expect(during.lastRun?.runId).toBe(done);
    expect(during.history).toMatchObject({ realRuns: 1, failed: 0 });
    // What the manager sees on the board page: a "running" badge, not red, and the drill's start under Last drill.
    const page = await browser.newPage();
    try {
      await page.goto(`${serve.url}/console/board`);
      await page.getByLabel('API token').fill(viewer);
      await page.getByRole('button', { name: 'Sign in' }).click();
      const row = page.locator('[data-key="console-fixture/INC-601"]');
      await row.waitFor();
      const badge = row.locator('[data-field="status"] .badge');
      expect(await badge.textContent()).toBe('running');
      expect(await badge.getAttribute('class')).toBe('badge running');
      expect(await row.locator('[data-field="status"]').textContent()).toContain(`drill running now (${runId}`);
      expect(await row.locator(`[data-field="last"] [data-running="${runId}"]`).textContent()).toMatch(
        /^running now since /,
      );
    } finally {
      await page.close();
    }
    await runReaches(serve.url, viewer, id, ['finished']);
    const after = await inc601();
    expect(after.check).toBeNull();
    expect(after.running).toBeNull();
    expect(after.history).toMatchObject({ realRuns: 2, failed: 0 });
  });

  it('a run shipped by a CLI runner is running while its journal is recent; killed and silent for over an hour, it is UNFINISHED and FAILED', async () => {
    const home = mkdtempSync(join(tmpdir(), 'drillbook-board-home-'));
    const args = ['run', 'INC-601', '-f', FIXTURE, '--env', 'test', '--mode', 'auto', '--yes', '--var', 'pause=20'];
    const cli = runInBackground([...args, '--renderer', 'plain'], { DRILLBOOK_HOME: home, DRILLBOOK_STORE: db.url });
    try {
      const runId = await atSlowStep(async () => {
        const rows = await db.query<{ id: string }>(
          `select id from runs where incident = 'INC-601' and outcome = 'unfinished' and operator <> 'ic-runner'`,
        );
        return rows[0]?.id ?? null;
      });
      expect((await inc601()).check?.text).toMatch(
        new RegExp(`^drill running now \\(${runId}, started ${STARTED}\\); latest finished real run`),
      );
      cli.kill('SIGKILL');
      await cli.done;
      // Killed: nothing more arrives. An hour of silence later (its events aged by hand), it is judged as it is.
      expect((await inc601()).check?.status).toBe('running');
      await db.query(`update events set at = at - interval '2 hours' where run_id = $1`, [runId]);
      const stale = await inc601();
      expect(stale.check).toEqual({ status: 'FAILED', text: `latest real run ${runId} (auto): UNFINISHED` });
      expect(stale.running).toBeNull();
    } finally {
      cli.kill('SIGKILL');
      await cli.done;
      rmSync(home, { recursive: true, force: true });
    }
  });
});
