import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { startWebhook, type WebhookServer } from '../helpers/comms-servers.js';
import { api, createToken, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';
import type { Alert } from '../../src/serve/alerts/alert-store.js';

const FIXTURE = 'test/fixtures/run/service-alerts.yaml';
/** The part of a Slack webhook URL that is its key: it must never be shown. */
const KEY = 'T0001/B0002/k3y-n0t-t0-sh0w';

/** The store's verdict as an alert quotes it. */
const verdictText = (run: Record<string, unknown>) =>
  `${String(run.verdict)}${typeof run.reason === 'string' ? ` (${run.reason})` : ''}`;

type AlertBody = Alert;

describe('drillbook serve: alerts to webhooks', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  // One from --alert-webhook that answers 503 twice first, one from $DRILLBOOK_ALERT_WEBHOOKS.
  let flaky: WebhookServer;
  let steady: WebhookServer;
  let runner = '';
  let viewer = '';
  let admin = '';
  const alerts = async () => {
    const r = await api(serve.url, 'GET', '/api/alerts', { token: viewer });
    return { text: r.text, list: (r.body as unknown as { alerts: AlertBody[] }).alerts };
  };
  const check = () => api(serve.url, 'POST', '/api/alerts/check', { token: admin });

  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'runner-person');
    viewer = createToken(db.url, 'viewer', 'viewer-person');
    admin = createToken(db.url, 'admin', 'admin-person');
    flaky = await startWebhook({ failFirst: 2 });
    steady = await startWebhook();
    const before = process.env.DRILLBOOK_ALERT_WEBHOOKS;
    process.env.DRILLBOOK_ALERT_WEBHOOKS = ` ${steady.url}/${KEY} `;
    try {
      serve = await startService(
        'serve',
        ['-f', FIXTURE, '--alert-webhook', `${flaky.url}/${KEY}`, '--public-url', 'https://drills.example.test/'],
        db.url,
      );
    } finally {
      if (before === undefined) delete process.env.DRILLBOOK_ALERT_WEBHOOKS;
      else process.env.DRILLBOOK_ALERT_WEBHOOKS = before;
    }
  });
  afterAll(async () => {
    await serve?.stop();
    await flaky?.close();
    await steady?.close();
    await db?.drop();
  });

  it('a scheduled run that fails posts once to every webhook, Slack-compatible, the retries counted', async () => {
    const created = await api(serve.url, 'POST', '/api/schedules', {
      token: runner,
      body: { runbook: 'service-alerts', incident: 'INC-601', mode: 'auto', cron: '0 3 1 1 *' },
    });
    expect(created.status).toBe(201);
    const fired = await api(serve.url, 'POST', `/api/schedules/${created.body.id}/run`, { token: runner });
    const done = await runReaches(serve.url, viewer, fired.body.id, ['finished', 'failed', 'interrupted']);
    expect(done.body.run).toMatchObject({ succeeded: false, operator: `schedule:${created.body.id}` });
    expect((await check()).status).toBe(200);
    const about = (w: WebhookServer) => w.received.filter((m) => m.text.includes(fired.body.id));
    // The timer in serve may have checked first: either way, the alert is there once.
    await until(() => about(flaky).length > 0 && about(steady).length > 0, 'the alert to arrive at both webhooks');
    const [message] = about(steady);
    expect(message?.text).toBe(
      `drillbook: Scheduled drill FAILED: Scheduled auto run of service-alerts/INC-601 (schedule ${created.body.id}): ${verdictText(done.body.run)} https://drills.example.test/api/runs/${fired.body.id}/report`,
    );
    expect(message?.blocks).toEqual([
      { type: 'header', text: { type: 'plain_text', text: 'Scheduled drill FAILED' } },
      expect.objectContaining({ type: 'section' }),
      expect.objectContaining({ type: 'section', fields: expect.arrayContaining([]) as unknown }),
    ]);
    const alert = (await alerts()).list.find((a) => a.requestId === fired.body.id);
    expect(alert).toMatchObject({
      kind: 'failed',
      runId: done.body.request.runId,
      incident: 'service-alerts/INC-601',
      dedupeKey: `run:${fired.body.id}`,
      delivered: true,
    });
    // Again and again: the run is alerted once.
    await check();
    await check();
    expect(about(flaky)).toHaveLength(1);
    expect(about(steady)).toHaveLength(1);
    expect((await alerts()).list.filter((a) => a.requestId === fired.body.id)).toHaveLength(1);
  });

  it("a scheduled run that recovers but misses its RTO is a breach, judged by the store's verdict", async () => {
    const created = await api(serve.url, 'POST', '/api/schedules', {
      token: runner,
      body: { runbook: 'service-alerts', incident: 'INC-603', mode: 'auto', cron: '0 3 1 1 *' },
    });
    const fired = await api(serve.url, 'POST', `/api/schedules/${created.body.id}/run`, { token: runner });
    const done = await runReaches(serve.url, viewer, fired.body.id, ['finished', 'failed', 'interrupted']);
    expect(done.body.run).toMatchObject({ outcome: 'recovered', succeeded: false, rto_met: false });
    await check();
    await until(() => steady.received.some((m) => m.text.includes(fired.body.id)), 'the breach alert to arrive');
    const alert = (await alerts()).list.find((a) => a.requestId === fired.body.id);
    expect(alert).toMatchObject({
      kind: 'breached',
      summary: `Scheduled auto run of service-alerts/INC-603 (schedule ${created.body.id}): ${verdictText(done.body.run)}`,
    });
    const text = steady.received.find((m) => m.text.includes(fired.body.id))?.text ?? '';
    expect(text).toMatch(/^drillbook: Scheduled drill BREACHED its targets: /);
  });

  it("every try is counted: the flaky webhook's two 503s are in its deliveries' attempts", async () => {
    await check();
    const list = (await alerts()).list;
    const flakyTries = list.flatMap((a) => a.deliveries.filter((d) => d.webhook.includes(new URL(flaky.url).host)));
    const steadyTries = list.flatMap((a) => a.deliveries.filter((d) => d.webhook.includes(new URL(steady.url).host)));
    expect(flakyTries.every((d) => d.ok)).toBe(true);
    expect(flakyTries.reduce((n, d) => n + d.attempts, 0)).toBe(flaky.requests());
    expect(flaky.requests()).toBe(flaky.received.length + 2);
    expect(flakyTries.some((d) => d.attempts === 3)).toBe(true);
    expect(steadyTries.every((d) => d.attempts === 1)).toBe(true);
    for (const a of list) expect(a.attempts).toBe(a.deliveries.reduce((n, d) => n + d.attempts, 0));
  });

  it('an incident overdue for its weekly drill is alerted once per overdue period', async () => {
    await check();
    await check();
    const overdue = (await alerts()).list.filter((a) => a.kind === 'overdue');
    expect(overdue).toEqual([
      expect.objectContaining({
        incident: 'service-alerts/INC-602',
        dedupeKey: 'overdue:service-alerts/INC-602:never',
        summary:
          'service-alerts/INC-602 (A recovery drilled weekly) is overdue for a drill: never run for real; its weekly drill is due every 7d',
        delivered: true,
      }),
    ]);
    const posted = steady.received.filter((m) => m.text.includes('Drill OVERDUE'));
    expect(posted).toHaveLength(1);
    expect(posted[0]?.text).toContain('https://drills.example.test/api/schedules');
    // INC-601 has no cadence: failed, but never overdue.
    expect(steady.received.filter((m) => m.text.includes('INC-601') && m.text.includes('OVERDUE'))).toEqual([]);
  });

  it('the webhook URLs never reach an answer, the output, or the store', async () => {
    const listed = await api(serve.url, 'GET', '/api/alerts', { token: viewer });
    expect((listed.body as unknown as { webhooks: string[] }).webhooks.sort()).toEqual(
      [`${new URL(flaky.url).origin}/***`, `${new URL(steady.url).origin}/***`].sort(),
    );
    const everything = [
      listed.text,
      (await check()).text,
      (await api(serve.url, 'GET', '/openapi.json')).text,
      serve.output(),
      JSON.stringify(await db.query('select * from alerts')),
      JSON.stringify(await db.query('select * from audit')),
    ].join('\n');
    expect(everything).not.toContain(KEY);
    expect(everything).not.toContain('/hook');
    expect(serve.output()).toContain('alerts: 2 webhooks');
  });

  it('401/403 on the alert routes; a bad webhook URL stops serve with one line', async () => {
    expect((await api(serve.url, 'POST', '/api/alerts/check')).status).toBe(401);
    const low = await api(serve.url, 'POST', '/api/alerts/check', { token: runner });
    expect(low.status).toBe(403);
    expect(low.body.error).toBe('this needs the admin role; token "runner-person" has runner');
    expect((await api(serve.url, 'GET', '/api/alerts')).status).toBe(401);
    const bad = drillbook(['serve', '--store', db.url, '--port', '0', '--alert-webhook', 'hooks.example/secret-key']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'drillbook: alert webhook 1 is not an http(s) URL (--alert-webhook, DRILLBOOK_ALERT_WEBHOOKS)\n',
    );
  });
});

describe('drillbook serve: a scheduled run interrupted by a shutdown is alerted by the next serve', () => {
  let db: ScratchDatabase;
  let hook: WebhookServer;
  const served: ServiceProcess[] = [];
  beforeAll(async () => {
    db = await scratchDatabase();
    hook = await startWebhook();
  });
  afterAll(async () => {
    for (const s of served) await s.stop();
    await hook?.close();
    await db?.drop();
  });

  it('SIGTERM mid-step: the request ends interrupted, and a later serve posts one failed alert for it', async () => {
    const runner = createToken(db.url, 'runner', 'runner-person');
    const admin = createToken(db.url, 'admin', 'admin-person');
    const args = ['-f', 'test/fixtures/run/service.yaml', '--alert-webhook', hook.url];
    const first = await startService('serve', args, db.url);
    served.push(first);
    const long = `${3600 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const created = await api(first.url, 'POST', '/api/schedules', {
      token: runner,
      body: { runbook: 'service-fixture', incident: 'INC-502', mode: 'auto', cron: '0 3 1 1 *', vars: { long } },
    });
    const fired = await api(first.url, 'POST', `/api/schedules/${created.body.id}/run`, { token: runner });
    await until(() => processesMatching(`sleep ${long}`).length >= 3, 'the long step to be running', 60_000);
    expect(await first.stop()).toBe(0);
    const [request] = await db.query<{ status: string }>('select status from service_runs where id = $1', [
      fired.body.id,
    ]);
    expect(request?.status).toBe('interrupted');
    expect(hook.received).toEqual([]);

    const second = await startService('serve', args, db.url);
    served.push(second);
    await api(second.url, 'POST', '/api/alerts/check', { token: admin });
    await api(second.url, 'POST', '/api/alerts/check', { token: admin });
    const about = hook.received.filter((m) => m.text.includes(fired.body.id));
    expect(about.map((m) => m.text)).toEqual([
      `drillbook: Scheduled drill FAILED: Scheduled auto run of service-fixture/INC-502 (schedule ${created.body.id}) was interrupted: interrupted by SIGTERM ${second.url}/api/runs/${fired.body.id}/report`,
    ]);
  }, 120_000);
});
