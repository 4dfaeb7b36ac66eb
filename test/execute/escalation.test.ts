import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { drillbook, drillbookAsync } from '../helpers/cli.js';
import {
  body,
  header,
  startSmtp,
  startWebhook,
  type MailServer,
  type WebhookServer,
} from '../helpers/comms-servers.js';
import { journalEvents, onlyRunDir, reportOf, workspace, type Workspace } from '../helpers/runs.js';

const FILE = 'test/fixtures/run/comms.yaml';
const TOKEN = 'tok-escalation-8842';
const PASSWORD = 'smtp-pass-5531';

let hook: WebhookServer | undefined;
let mail: MailServer | undefined;
afterEach(async () => {
  await hook?.close();
  await mail?.close();
});

function run(ws: Workspace, args: string[]) {
  return drillbookAsync([...args, '-f', FILE, '--var', `smtp.port=${mail?.port ?? 0}`, '--renderer', 'plain'], {
    env: { DRILLBOOK_HOME: ws.home, HOOK_URL: hook?.url ?? '', SMTP_PASSWORD: PASSWORD, API_TOKEN: TOKEN },
  });
}

/** Resolves once the run's journal has both deliveries of level 2 (its webhook and its email). */
async function untilLevel2Sent(ws: Workspace): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (existsSync(join(ws.home, 'runs'))) {
      try {
        const sent = journalEvents(onlyRunDir(ws)).filter(
          (e) => e.type === 'delivery' && e.about === 'escalation level 2',
        );
        if (sent.length === 2) return;
      } catch {
        // the journal is not written yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('level 2 was never sent');
}

const levelsIn = (events: Record<string, unknown>[]) =>
  events.filter((e) => e.type === 'escalation').map((e) => e.level);

describe('escalation on the run clock', () => {
  it('fires each level once as the clock passes it, over a resume, and sends what the levels name', async () => {
    hook = await startWebhook();
    mail = await startSmtp();
    const ws = workspace();
    // The first step sleeps 3s: level 2 (after 1s) fires during it; the run is stopped there.
    const first = run(ws, ['run', 'INC-201', '--mode', 'auto']);
    await untilLevel2Sent(ws);
    first.child.kill('SIGINT');
    const stopped = await first.done;
    expect(stopped.status).toBe(130);
    expect(stopped.stdout).toContain(
      'ESCALATION Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders → chat, ops-mail',
    );
    const dir = onlyRunDir(ws);
    expect(levelsIn(journalEvents(dir))).toEqual([1, 2]);

    // Resumed after the interrupted step: the clock goes on from the first start, level 3 (2s) fires, 1 and 2 do not.
    const resumed = await run(ws, ['run', '--resume', 'latest', '--from', 'second', '--mode', 'auto']).done;
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain('ESCALATION Level 3: the CTO decides → chat');
    expect(resumed.stdout).not.toContain('ESCALATION Level 2');
    const events = journalEvents(dir);
    expect(levelsIn(events)).toEqual([1, 2, 3]);
    const level3 = events.find((e) => e.type === 'escalation' && e.level === 3) as { atMs: number };
    expect(level3.atMs).toBeGreaterThanOrEqual(2000);

    // The webhook got level 2 (its message template, the secret masked) and level 3 (the default text).
    expect(hook.received.map((m) => m.text.split('\n')[0])).toEqual([
      expect.stringMatching(/^\[INC-201\] Level 2 at \d[\dmsh.]* \(run \d{8}-\d{6}-INC-201-\w+\), token \*\*\*$/),
      '[INC-201] Level 3: the CTO decides',
    ]);
    // The SMTP server got level 2 once: envelope, authentication, headers, body, and no secret.
    expect(mail.received).toHaveLength(1);
    const [got] = mail.received;
    expect(got?.from).toBe('drillbook@example.com');
    expect(got?.to).toEqual(['ops@example.com']);
    expect(got?.user).toBe('drillbook');
    expect(got?.password).toBe(PASSWORD);
    expect(header(got?.raw ?? '', 'Subject')).toMatch(/^\[INCIDENT\] INC-201 at \d/);
    expect(header(got?.raw ?? '', 'To')).toBe('ops@example.com');
    expect(body(got?.raw ?? '')).toMatch(/Level 2 at .*token \*\*\*/);
    expect(got?.raw).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(TOKEN);

    // Every delivery is journaled and listed in the report's communications.
    const deliveries = events.filter((e) => e.type === 'delivery');
    expect(deliveries.map((d) => [d.about, d.channel, d.ok])).toEqual(
      expect.arrayContaining([
        ['escalation level 2', 'chat', true],
        ['escalation level 2', 'ops-mail', true],
        ['escalation level 3', 'chat', true],
      ]),
    );
    expect(deliveries).toHaveLength(3);
    const report = reportOf(dir);
    expect(report.communications.escalations.map((e) => e.level)).toEqual([1, 2, 3]);

    // Every report format lists the communications: Markdown, HTML, JSON and JUnit.
    const id = report.runId;
    const markdown = drillbook(['report', id, '--format', 'markdown'], { env: { DRILLBOOK_HOME: ws.home } }).stdout;
    expect(markdown).toMatch(
      /^\| T\+1\.\ds \| Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders \| chat, ops-mail \| chat: delivered; ops-mail: delivered \|$/m,
    );
    expect(markdown).toMatch(
      /^\| T\+\d+ms \| Level 1: page the on-call Database Admin \| the responder \| shown to the responder \|$/m,
    );
    const html = drillbook(['report', id, '--format', 'html'], { env: { DRILLBOOK_HOME: ws.home } }).stdout;
    expect(html).toContain('<h2 id="communications">Communications</h2>');
    expect(html).toContain('Level 3: the CTO decides');
    const junit = drillbook(['report', id, '--format', 'junit'], { env: { DRILLBOOK_HOME: ws.home } }).stdout;
    expect(junit).toMatch(/<testcase name="communications" classname="INC-201\.communications"[^>]*\/>/);
    expect(`${markdown}${html}${junit}`).not.toContain(TOKEN);
  });

  it('stops escalating once the incident is recovered', async () => {
    hook = await startWebhook();
    mail = await startSmtp();
    const ws = workspace();
    // Both steps take ~0.5s: the run recovers before level 2 (1s) is due.
    const r = await run(ws, ['run', 'INC-201', '--mode', 'auto', '--var', 'first_sleep=0']).done;
    expect(r.status).toBe(0);
    const events = journalEvents(onlyRunDir(ws));
    const recoveredAt = events.find((e) => e.type === 'recovery-check')?.t as number;
    const fired = events.filter((e) => e.type === 'escalation') as { level: number; atMs: number }[];
    // What fired, fired while the incident was down; nothing after the recovered condition held.
    for (const e of fired) expect(e.atMs).toBeLessThanOrEqual(recoveredAt);
    const after = events.slice(events.findIndex((e) => e.type === 'recovery-check'));
    expect(after.some((e) => e.type === 'escalation')).toBe(false);
    expect(fired.map((e) => e.level)).toContain(1);
  });
});
