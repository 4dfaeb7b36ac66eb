import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BIN, drillbook, ROOT } from './cli.js';
import { until } from './store.js';

/** A `drillbook serve` or `drillbook worker` started as a user would, on loopback, against a scratch store. */
export interface ServiceProcess {
  child: ChildProcess;
  /** http://127.0.0.1:PORT for serve. */
  url: string;
  output: () => string;
  /** SIGTERM and wait for the exit; its exit code. */
  stop(): Promise<number | null>;
}

export async function startService(
  command: 'serve' | 'worker',
  args: string[],
  store: string,
): Promise<ServiceProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), `drillbook-${command}-`));
  const extra = command === 'serve' ? ['--host', '127.0.0.1', '--port', '0'] : [];
  const child = spawn(process.execPath, [BIN, command, '--store', store, '--data-dir', dataDir, ...extra, ...args], {
    cwd: ROOT,
    env: { ...process.env, DRILLBOOK_STORE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (out += d));
  const exited = new Promise<number | null>((resolve) => {
    child.on('close', (code) => {
      resolve(code);
    });
  });
  let gone = false;
  void exited.then(() => (gone = true));
  const ready = command === 'serve' ? /listening on (http:\/\/127\.0\.0\.1:\d+)/ : /taking runs from/;
  await until(() => gone || ready.test(out), `drillbook ${command} to start`, 60_000);
  if (gone) throw new Error(`drillbook ${command} exited at start:\n${out}`);
  return {
    child,
    url: ready.exec(out)?.[1] ?? '',
    output: () => out,
    async stop() {
      if (!gone) child.kill('SIGTERM');
      const code = await exited;
      rmSync(dataDir, { recursive: true, force: true });
      return code;
    },
  };
}

/** A token made by `drillbook token create`, as a person would. */
export function createToken(store: string, role: string, name: string): string {
  const r = drillbook(['token', 'create', '--role', role, '--name', name, '--store', store]);
  if (r.status !== 0) throw new Error(`token create failed: ${r.stderr}`);
  return r.stdout.trim();
}

/** The fields the tests read from the API's JSON answers (each answer has some of them). */
export interface ApiBody {
  error: string;
  id: string;
  status: string;
  openapi: string;
  name: string;
  runId: string;
  mode: string;
  request: {
    id: string;
    status: string;
    runId: string;
    exitCode: number | null;
    error: string | null;
    worker: string;
    requestedBy: string;
  };
  run: Record<string, unknown>;
  paths: Record<
    string,
    Record<string, { 'x-role'?: string; requestBody: { content: Record<string, { schema: { required: string[] } }> } }>
  >;
  steps: { step: string; status: string }[];
  events: { seq: number }[];
  runs: { runId: string }[];
  stats: Record<string, unknown>[];
  incidents: { id: string }[];
  lines: string[];
  diagnostics: { file: string; line: number }[];
}

export interface Answer {
  status: number;
  body: ApiBody;
  text: string;
}

/** One API call; the body parsed as JSON when it is JSON. */
export async function api(
  base: string,
  method: string,
  path: string,
  options: { token?: string; body?: unknown; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.token !== undefined) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${base}${path}`, {
    method,
    headers,
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  let body = {} as ApiBody;
  try {
    body = JSON.parse(text) as ApiBody;
  } catch {
    // not JSON (a report, a stream)
  }
  return { status: response.status, body, text };
}

/** Polls a run until its request reaches one of `states`; its last answer. */
export async function runReaches(base: string, token: string, id: string, states: string[]): Promise<Answer> {
  let last: Answer | undefined;
  await until(
    async () => {
      last = await api(base, 'GET', `/api/runs/${id}`, { token });
      return states.includes(last.body.request?.status);
    },
    `run ${id} to be ${states.join(' or ')}`,
    60_000,
  );
  return last as Answer;
}

/** Reads a whole SSE answer (the stream ends when the run is done): its events, in the order received. */
export async function readSse(
  base: string,
  path: string,
  token: string,
  lastEventId?: number,
): Promise<{ id: number; event: string; data: unknown }[]> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}`, accept: 'text/event-stream' };
  if (lastEventId !== undefined) headers['last-event-id'] = String(lastEventId);
  const response = await fetch(`${base}${path}`, { headers });
  if (response.status !== 200) throw new Error(`SSE answered ${response.status}: ${await response.text()}`);
  const text = await response.text();
  return text
    .split('\n\n')
    .filter((block) => block.trim() !== '')
    .map((block) => {
      const field = (name: string) =>
        block
          .split('\n')
          .find((l) => l.startsWith(`${name}: `))
          ?.slice(name.length + 2) ?? '';
      return { id: Number(field('id')), event: field('event'), data: JSON.parse(field('data')) as unknown };
    });
}

export const ROLES = ['viewer', 'runner', 'approver', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** One token per role, named `ROLE-person`, as an admin would hand them out. */
export function tokensByRole(store: string): Record<Role, string> {
  return Object.fromEntries(ROLES.map((role) => [role, createToken(store, role, `${role}-person`)])) as Record<
    Role,
    string
  >;
}
