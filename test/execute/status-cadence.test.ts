import { afterEach, describe, expect, it } from 'vitest';
import { drillbookAsync } from '../helpers/cli.js';
import { startWebhook, type WebhookServer } from '../helpers/comms-servers.js';
import { journalEvents, onlyRunDir, reportOf, workspace } from '../helpers/runs.js';

const FILE = 'test/fixtures/run/comms.yaml';
let hook: WebhookServer | undefined;
afterEach(async () => {
  await hook?.close();
});

describe('status cadence', () => {
  it('sends a status update from the template every `every` in auto mode, with the clock filled in', async () => {
    hook = await startWebhook();
    const ws = workspace();
    const r = await drillbookAsync(['run', 'INC-202', '-f', FILE, '--mode', 'auto', '--renderer', 'plain'], {
      env: { DRILLBOOK_HOME: ws.home, HOOK_URL: hook.url, SMTP_PASSWORD: 'x', API_TOKEN: 'y' },
    }).done;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const events = journalEvents(onlyRunDir(ws));
    const updates = events.filter((e) => e.type === 'status-update') as {
      n: number;
      atMs: number;
      text: string;
      sent: boolean;
      t: number;
    }[];
    // How many were due is the journal's own clock: one per second until the recovered condition held.
    const recoveredAt = events.find((e) => e.type === 'recovery-check')?.t as number;
    const stepEnd = events.find((e) => e.type === 'step-finished')?.t as number;
    expect(updates.length).toBeGreaterThanOrEqual(Math.floor(stepEnd / 1000) - 1);
    expect(updates.length).toBeLessThanOrEqual(Math.floor(recoveredAt / 1000));
    expect(updates.length).toBeGreaterThanOrEqual(2);
    const runId = events[0]?.runId as string;
    for (const [i, u] of updates.entries()) {
      expect(u.n).toBe(i + 1);
      expect(u.sent).toBe(true);
      expect(u.atMs).toBeGreaterThanOrEqual(u.n * 1000);
      // The elapsed time is the run's clock when it was sent (formatDuration: 1.0s, 2.1s …).
      const elapsed = /update: (\d+(?:\.\d)?)s elapsed/.exec(u.text)?.[1];
      expect(Number(elapsed) * 1000).toBeGreaterThanOrEqual(u.n * 1000 - 50);
      expect(u.text).toBe(`[INC-202] update: ${elapsed}s elapsed, run ${runId}, phase work, step wait`);
    }
    // What was journaled is what the channel received, and what the report lists.
    expect(hook.received.map((m) => m.text)).toEqual(updates.map((u) => u.text));
    const report = reportOf(onlyRunDir(ws));
    expect(report.communications.statusUpdates.map((u) => u.n)).toEqual(updates.map((u) => u.n));
    expect(r.stdout).toContain('status update 1 sent → chat');
  });

  it('a channel with no address here (a drill without Slack) is skipped with the reason, and the run passes', async () => {
    const ws = workspace();
    const r = await drillbookAsync(['run', 'INC-202', '-f', FILE, '--mode', 'auto', '--renderer', 'plain'], {
      env: { DRILLBOOK_HOME: ws.home, HOOK_URL: '', SMTP_PASSWORD: 'x', API_TOKEN: 'y' },
    }).done;
    expect(r.status).toBe(0);
    const deliveries = journalEvents(onlyRunDir(ws)).filter((e) => e.type === 'delivery');
    expect(deliveries.length).toBeGreaterThanOrEqual(1);
    for (const d of deliveries)
      expect(d).toMatchObject({ channel: 'chat', ok: true, skipped: 'no webhook URL in this environment' });
  });
});
