import { setTimeout as delay } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RedisProbe } from '../../model/runbook.js';
import { ProbeError, withDeadline } from './check-kind.js';
import { messageOf } from '../../model/error-message.js';

/** Where a redis check connects and as whom: the url's parts first, the separate options for what it leaves out. */
export interface RedisAddress {
  host: string;
  port: number;
  tls: boolean;
  db: number | undefined;
  username: string | undefined;
  /** A password written in the url; `password:` (a secret's name) is used only when there is none. */
  urlPassword: string | undefined;
}

/**
 * drillbook reads the url itself instead of handing it to ioredis: the client would take any query parameter
 * as an option (over drillbook's deadline and retry settings), connect to `localhost` for a missing host, and
 * fill a missing port from `port:` while messages named 6379. One reading serves the connection and the messages.
 */
export function redisAddress(o: RedisProbe): RedisAddress {
  const url = o.url === undefined ? undefined : parseUrl(o.url);
  const port = Number(url?.port || (o.port ?? 6379));
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new ProbeError(`port ${String(o.port)} is not a port number`);
  return {
    host: url?.hostname.replace(/^\[|\]$/g, '') || o.host || '127.0.0.1',
    port,
    tls: url?.protocol === 'rediss:',
    db: url && url.pathname.length > 1 ? Number(url.pathname.slice(1)) : o.db,
    username: url?.username ? decodeURIComponent(url.username) : undefined,
    urlPassword: url?.password ? decodeURIComponent(url.password) : undefined,
  };
}

function parseUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ProbeError('url is not a URL: write redis://[[USER]:PASSWORD@]HOST[:PORT][/DB]');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:')
    throw new ProbeError(`url must start with redis:// or rediss://, not ${url.protocol}//`);
  // Only the names: a query could carry a password.
  if (url.search)
    throw new ProbeError(
      `url query parameters (${[...url.searchParams.keys()].join(', ')}) are not supported: use the host, port, password and db options`,
    );
  if (!/^\/?(\d+)?$/.test(url.pathname))
    throw new ProbeError('url path must be a database number (redis://HOST:PORT/2)');
  return url;
}

/** host:port as messages print it. */
export function hostPort(address: RedisAddress): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

const NO_PASSWORD_NEEDED = /no password is set|without any password configured/;

/**
 * A connected, authenticated client on the requested db, or a ProbeError naming host:port and why not. The
 * handshake (AUTH, readiness, SELECT) is done here rather than by ioredis, whose own prints warnings to stderr,
 * drops a SELECT the server refuses, and reports every failure as "Connection is closed.".
 */
export async function openRedis(o: RedisProbe, deadlineMs: number): Promise<{ client: Redis; where: string }> {
  const address = redisAddress(o);
  const where = hostPort(address);
  const password = address.urlPassword ?? (o.password ? process.env[o.password] : undefined);
  const client = await newClient(address, deadlineMs);
  // Socket errors come as events, and connect() then fails with a bare "Connection is closed.": keep the cause.
  let lastError: unknown;
  client.on('error', (error: unknown) => {
    lastError = error;
  });
  const stage = { now: 'cannot connect' };
  const open = async () => {
    await client.connect().catch((error: unknown) => {
      throw lastError ?? error;
    });
    await handshake(client, address, password, stage);
  };
  try {
    await withDeadline(open(), deadlineMs, where);
  } catch (error) {
    client.disconnect();
    throw new ProbeError(`${where}: ${stage.now} (${masked(message(error), password)})`);
  }
  return { client, where };
}

/** An ioredis client with no reconnect loop and no offline queue: a dead server fails the check now, not later. */
async function newClient(address: RedisAddress, deadlineMs: number): Promise<Redis> {
  const { Redis } = await import('ioredis');
  return new Redis({
    host: address.host,
    port: address.port,
    ...(address.tls ? { tls: {} } : {}),
    lazyConnect: true,
    connectTimeout: deadlineMs,
    commandTimeout: deadlineMs,
    maxRetriesPerRequest: 0,
    enableOfflineQueue: false,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    enableReadyCheck: false,
    disableClientInfo: true,
  });
}

/** AUTH (a password the server does not need is harmless), wait while loading, SELECT; `stage` names the step. */
async function handshake(
  client: Redis,
  address: RedisAddress,
  password: string | undefined,
  stage: { now: string },
): Promise<void> {
  if (password) {
    const auth = address.username ? client.auth(address.username, password) : client.auth(password);
    await auth.catch((error: unknown) => {
      if (!NO_PASSWORD_NEEDED.test(message(error))) throw error;
    });
  }
  await untilLoaded(client);
  if (address.db) {
    stage.now = `cannot select db ${address.db}`;
    await client.select(address.db);
  }
}

/** ioredis's ready check, without its stderr warning: wait while the dataset loads; a user without INFO skips it. */
async function untilLoaded(client: Redis): Promise<void> {
  for (;;) {
    const info = await client.info('persistence').catch((error: unknown) => {
      if (message(error).startsWith('NOPERM')) return '';
      throw error;
    });
    if (!/^loading:1\s*$/m.test(info)) return;
    await delay(100);
  }
}

function message(error: unknown): string {
  const text = messageOf(error);
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && !text.includes(code) ? `${code}: ${text}` : text;
}

function masked(text: string, secret: string | undefined): string {
  return secret ? text.split(secret).join('***') : text;
}
