import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** What a local webhook received: one JSON body per POST it accepted (`text`, and `blocks` when sent). */
export interface WebhookServer {
  url: string;
  received: { text: string; blocks?: unknown[] }[];
  /** Every POST, answered with an error or not: retries count here. */
  requests: () => number;
  close(): Promise<void>;
}

/**
 * A webhook receiver on loopback (a free port, so parallel test files never collide). `failFirst: n` answers the
 * first n POSTs with `failStatus` (503 unless given) and keeps nothing of them, as a receiver that is restarting.
 */
export async function startWebhook(options: { failFirst?: number; failStatus?: number } = {}): Promise<WebhookServer> {
  const received: { text: string; blocks?: unknown[] }[] = [];
  let requests = 0;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (d: string) => (body += d));
    req.on('end', () => {
      requests += 1;
      if (requests <= (options.failFirst ?? 0)) {
        res.writeHead(options.failStatus ?? 503).end('not now');
        return;
      }
      received.push(JSON.parse(body) as { text: string; blocks?: unknown[] });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hook`,
    received,
    requests: () => requests,
    close: () =>
      new Promise((resolve) =>
        server.close(() => {
          resolve();
        }),
      ),
  };
}

export interface ReceivedMail {
  from: string;
  to: string[];
  user: string | undefined;
  password: string | undefined;
  raw: string;
}

export interface MailServer {
  port: number;
  received: ReceivedMail[];
  close(): Promise<void>;
}

/** An SMTP server on loopback (smtp-server) that takes plain AUTH and keeps every message whole. */
export async function startSmtp(): Promise<MailServer> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    disabledCommands: ['STARTTLS'],
    allowInsecureAuth: true,
    authOptional: true,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: { name: auth.username, password: auth.password } });
    },
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8').on('data', (d: string) => (raw += d));
      stream.on('end', () => {
        const user = session.user as { name?: string; password?: string } | undefined;
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          user: user?.name,
          password: user?.password,
          raw,
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return {
    port,
    received,
    close: () =>
      new Promise((resolve) => {
        server.close(() => {
          resolve();
        });
      }),
  };
}

/** A header's value in a raw message (unfolded). */
export function header(raw: string, name: string): string | undefined {
  const head = raw.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? '';
  return head
    .split(/\r?\n/)
    .find((l) => l.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    ?.slice(name.length + 1)
    .trim();
}

/** A message's body, with quoted-printable soft breaks joined. */
export function body(raw: string): string {
  const text = raw
    .split(/\r?\n\r?\n/)
    .slice(1)
    .join('\n\n');
  return text.replace(/=\r?\n/g, '').replace(/=([0-9A-F]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
}
