import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { drillbookAsync } from '../helpers/cli.js';
import { body, header, startSmtp, type MailServer } from '../helpers/comms-servers.js';
import { freePort } from '../helpers/services.js';
import { journalEvents, onlyRunDir, reportOf, workspace } from '../helpers/runs.js';

const FILE = 'test/fixtures/run/comms.yaml';
const TOKEN = 'tok-email-7719';
const PASSWORD = 'smtp-pw-2291';
let mail: MailServer | undefined;
let silent: Server | undefined;
const sockets: Socket[] = [];
afterEach(async () => {
  await mail?.close();
  for (const s of sockets) s.destroy();
  const server = silent;
  if (server)
    await new Promise<void>((resolve) => {
      server.close(() => {
        resolve();
      });
    });
  mail = undefined;
  silent = undefined;
});

function declare(port: number) {
  const ws = workspace();
  const done = drillbookAsync(
    ['run', 'INC-203', '-f', FILE, '--mode', 'auto', '--renderer', 'plain', '--var', `smtp.port=${port}`],
    { env: { DRILLBOOK_HOME: ws.home, HOOK_URL: '', SMTP_PASSWORD: PASSWORD, API_TOKEN: TOKEN } },
  ).done;
  return { ws, done };
}

describe('notify by email (SMTP)', () => {
  it('sends the message with its headers and body, authenticated, the secret masked', async () => {
    mail = await startSmtp();
    const { ws, done } = declare(mail.port);
    const r = await done;
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(mail.received).toHaveLength(1);
    const [got] = mail.received;
    expect(got?.user).toBe('drillbook');
    expect(got?.password).toBe(PASSWORD);
    expect(got?.to).toEqual(['ops@example.com']);
    expect(header(got?.raw ?? '', 'From')).toBe('drillbook@example.com');
    expect(header(got?.raw ?? '', 'Subject')).toMatch(/^\[INCIDENT\] INC-203 at \d/);
    expect(body(got?.raw ?? '')).toContain('Incident INC-203 declared by');
    expect(body(got?.raw ?? '')).toContain('Token *** must not leak.');
    expect(got?.raw).not.toContain(TOKEN);
    const events = journalEvents(onlyRunDir(ws));
    expect(events.find((e) => e.type === 'delivery')).toMatchObject({
      about: 'step declare',
      channel: 'ops-mail',
      ok: true,
    });
    expect(JSON.stringify(events)).not.toContain(TOKEN);
    expect(JSON.stringify(events)).not.toContain(PASSWORD);
  });

  it('a refused connection fails the step with one line naming the server', async () => {
    const port = await freePort();
    const { ws, done } = declare(port);
    const r = await done;
    expect(r.status).toBe(1);
    const report = reportOf(onlyRunDir(ws));
    const step = report.steps.find((s) => s.id === 'declare');
    expect(step?.status).toBe('failed');
    expect(step?.error).toMatch(new RegExp(`^channel ops-mail: SMTP 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`));
    expect(step?.error).not.toContain('\n');
    expect(r.stdout).toContain('FAIL declare: Email ops');
    expect(`${r.stdout}${r.stderr}`).not.toMatch(/\n\s+at /);
  });

  it('a server that never answers fails the step at the deadline', async () => {
    silent = createServer((socket) => {
      sockets.push(socket); // accepts, never greets
    });
    await new Promise<void>((resolve) => silent?.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as AddressInfo;
    const { ws, done } = declare(port);
    const r = await done;
    expect(r.status).toBe(1);
    const step = reportOf(onlyRunDir(ws)).steps.find((s) => s.id === 'declare');
    expect(step?.status).toBe('failed');
    expect(step?.error).toMatch(
      new RegExp(
        `^channel ops-mail: SMTP 127\\.0\\.0\\.1:${port}: .*(no answer within 2s|[Gg]reeting never received|[Tt]imeout)`,
      ),
    );
    expect(step?.error).not.toContain('\n');
  });
});
