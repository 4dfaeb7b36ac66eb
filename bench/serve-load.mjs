#!/usr/bin/env node
// The service under load: a real `drillbook serve` on loopback with a scratch database, runs executing while
// 50 readers at once ask for history (GET /api/runs), statistics (GET /api/stats) and SSE streams
// (GET /api/runs/:id/events, Accept: text/event-stream). autocannon drives the plain reads and the replay of a
// finished run's stream; live readers follow running runs from their first event to their last, and each
// checks that it got every stored event once, in order. Bounded in time (--seconds) and in count (readers).
// Then the cost of live streams alone: many readers on one running run, the server's CPU and the database's
// transactions per second, against the same run with no reader.
// `npm run bench` runs it (bench/run.mjs); alone: node bench/serve-load.mjs [--quick]. Method: docs/performance.md.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import pg from 'pg';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'drillbook.js');
const SERVER = process.env.DRILLBOOK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
/** The 50 readers: autocannon connections per route, and live SSE followers of running runs. */
export const READERS = { history: 20, stats: 15, sseReplay: 5, sseLive: 10 };

const RUNBOOK = `apiVersion: drillbook/v1
metadata: { name: load-bench, title: Load bench, version: "1.0.0", owner: Bench }
objectives: { rto: 5m, rpo: 5m }
environments:
  bench:
    vars:
      long: "5"
incidents:
  - id: INC-801
    title: A short recovery
    severity: low
    rto: 5m
    triggers: [Bench]
    recovered:
      - command: { run: ["true"] }
    phases:
      - id: only
        title: Only phase
        budget: 1m
        steps:
${[1, 2, 3, 4, 5].map((i) => `          - { id: s${i}, title: Step ${i}, run: [sleep, "0.1"] }`).join('\n')}
  - id: INC-802
    title: A recovery with a long step
    severity: low
    rto: 30m
    triggers: [Bench]
    recovered:
      - command: { run: ["true"] }
    phases:
      - id: only
        title: Only phase
        budget: 20m
        steps:
          - { id: before, title: Before, run: ["true"] }
          - { id: long, title: Long, run: [sleep, "{{ long }}"] }
          - { id: after, title: After, run: ["true"] }
`;

/**
 * Runs the load and the SSE cost measurement; returns { rows, live, sseCost } or { skipped } when no
 * PostgreSQL answers.
 */
export async function serveLoad({ seconds = 10, scratch }) {
  const name = `drillbook_bench_load_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `no PostgreSQL at ${SERVER.replace(/:[^:@/]*@/, ':***@')} (${error.message})` };
  }
  const store = `${SERVER}/${name}`;
  let serve;
  try {
    await admin.query(`create database ${name}`);
    const file = join(scratch, 'load-bench.yaml');
    writeFileSync(file, RUNBOOK);
    const runner = token(store, 'runner');
    const viewer = token(store, 'viewer');
    serve = await startServe(store, file, scratch);
    const client = { base: serve.url, runner, viewer };
    // History to read: finished runs in the store, one of them replayed by the SSE readers.
    const seeded = await Promise.all([1, 2, 3, 4].map(() => startRun(client, 'INC-801')));
    for (const id of seeded) await finished(client, id);
    const load = await underLoad(client, serve, seeded[0], seconds);
    const sseCost = await liveStreamCost(client, serve, store, Math.max(3, Math.round(seconds / 2)));
    return { ...load, sseCost, loadAtEnd: loadavg().map((x) => Number(x.toFixed(2))) };
  } finally {
    await serve?.stop();
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

/** autocannon on three routes and live SSE followers, all at once, while runs are queued and executed. */
async function underLoad(client, serve, replayId, seconds) {
  const auth = { authorization: `Bearer ${client.viewer}` };
  const cannon = (title, path, connections, headers = {}) =>
    autocannon({
      title,
      url: `${client.base}${path}`,
      connections,
      duration: seconds,
      timeout: 10,
      headers: { ...auth, ...headers },
    });
  const runsDuring = keepRunning(client, seconds);
  const live = followLive(client, READERS.sseLive, seconds);
  const cpuBefore = cpuSeconds(serve.pid);
  const results = await Promise.all([
    cannon('GET /api/runs', '/api/runs', READERS.history),
    cannon('GET /api/stats', '/api/stats?period=week', READERS.stats),
    cannon('SSE replay (finished run)', `/api/runs/${replayId}/events`, READERS.sseReplay, {
      accept: 'text/event-stream',
    }),
  ]);
  const cpu = cpuSeconds(serve.pid) - cpuBefore;
  const started = await runsDuring;
  const followed = await live;
  return {
    seconds,
    readers: READERS,
    runsStarted: started.length,
    serveCpuSeconds: Number(cpu.toFixed(2)),
    rows: results.map((r) => ({
      route: r.title,
      connections: r.connections,
      requests: r.requests.total,
      p50Ms: r.latency.p50,
      p99Ms: r.latency.p99,
      errors: r.errors + r.timeouts + r.non2xx,
    })),
    live: followed,
  };
}

/** Queues a run every 1.5 s (every fourth a long one), for `seconds`: the readers read a busy service. */
async function keepRunning(client, seconds) {
  const ids = [];
  const end = Date.now() + seconds * 1000;
  while (Date.now() < end) {
    ids.push(await startRun(client, ids.length % 4 === 0 ? 'INC-802' : 'INC-801', { long: '3' }));
    await sleep(1500);
  }
  return ids;
}

/**
 * `count` readers, each starting a run and following its SSE stream from the first event to the end; each
 * checks its events against the store's (every line once, in order). Latency: from the request to the first event.
 */
async function followLive(client, count, seconds) {
  const end = Date.now() + seconds * 1000;
  const firstEventMs = [];
  let streams = 0;
  let errors = 0;
  const problems = [];
  await Promise.all(
    Array.from({ length: count }, async () => {
      while (Date.now() < end) {
        try {
          const id = await startRun(client, 'INC-801');
          const t0 = performance.now();
          const events = await readStream(client, id, () => firstEventMs.push(performance.now() - t0));
          const stored = await json(client, `/api/runs/${id}/events`);
          const want = stored.events.map((e) => e.seq).join(',');
          const got = events.map((e) => e.id).join(',');
          if (want !== got || events.length === 0) {
            errors += 1;
            problems.push(`run ${id}: streamed ${got} but the store holds ${want}`);
          }
          streams += 1;
        } catch (error) {
          errors += 1;
          problems.push(error.message);
        }
      }
    }),
  );
  const sorted = firstEventMs.sort((a, b) => a - b);
  const at = (p) =>
    sorted.length === 0 ? null : Number(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))].toFixed(1));
  return {
    route: 'SSE live (running run, whole stream)',
    readers: count,
    streams,
    p50Ms: at(0.5),
    p99Ms: at(0.99),
    errors,
    problems: problems.slice(0, 5),
  };
}

/**
 * What live streams cost the server: `readers` streams on one running run against the same run unread, each for
 * `seconds`; the serve process's CPU and the database's committed transactions per second.
 */
async function liveStreamCost(client, serve, store, seconds, readers = 50) {
  const db = new pg.Client({ connectionString: store });
  await db.connect();
  try {
    const measure = async (open) => {
      const id = await startRun(client, 'INC-802', { long: String(seconds * 2 + 4) });
      await running(client, id);
      const streams = open ? Array.from({ length: readers }, () => holdStream(client, id)) : [];
      await sleep(1000);
      const xact0 = await commits(db);
      const cpu0 = cpuSeconds(serve.pid);
      await sleep(seconds * 1000);
      const result = {
        readers: open ? readers : 0,
        serveCpuPercent: Number((((cpuSeconds(serve.pid) - cpu0) / seconds) * 100).toFixed(1)),
        dbCommitsPerSecond: Math.round(((await commits(db)) - xact0) / seconds),
      };
      for (const s of streams) s.close();
      await json(client, `/api/runs/${id}/cancel`, 'POST', client.runner);
      return result;
    };
    return { seconds, idle: await measure(false), streaming: await measure(true) };
  } finally {
    await db.end();
  }
}

async function commits(db) {
  // Backends report their counters at most once a second: wait it out so both ends of a window are current.
  await sleep(1100);
  const r = await db.query('select xact_commit::bigint as n from pg_stat_database where datname = current_database()');
  return Number(r.rows[0].n);
}

/** An SSE stream held open (its events read and dropped) until close(). */
function holdStream(client, id) {
  const controller = new AbortController();
  void fetch(`${client.base}/api/runs/${id}/events`, {
    headers: { authorization: `Bearer ${client.viewer}`, accept: 'text/event-stream' },
    signal: controller.signal,
  })
    .then(async (response) => {
      for await (const _chunk of response.body);
    })
    .catch(() => {});
  return { close: () => controller.abort() };
}

async function readStream(client, id, onFirst) {
  const response = await fetch(`${client.base}/api/runs/${id}/events`, {
    headers: { authorization: `Bearer ${client.viewer}`, accept: 'text/event-stream' },
  });
  if (response.status !== 200) throw new Error(`SSE answered ${response.status}`);
  let text = '';
  let first = true;
  for await (const chunk of response.body) {
    if (first) onFirst();
    first = false;
    text += Buffer.from(chunk).toString('utf8');
  }
  return text
    .split('\n\n')
    .filter((b) => b.trim() !== '')
    .map((b) => ({ id: Number(/^id: (\d+)$/m.exec(b)?.[1]), event: /^event: (.*)$/m.exec(b)?.[1] }));
}

async function json(client, path, method = 'GET', tokenValue = client.viewer) {
  const response = await fetch(`${client.base}${path}`, { method, headers: { authorization: `Bearer ${tokenValue}` } });
  const body = await response.json();
  if (response.status >= 400) throw new Error(`${method} ${path}: ${response.status} ${body.error}`);
  return body;
}

async function startRun(client, incident, vars = undefined) {
  const response = await fetch(`${client.base}/api/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.runner}`, 'content-type': 'application/json' },
    body: JSON.stringify({ runbook: 'load-bench', incident, mode: 'auto', ...(vars ? { vars } : {}) }),
  });
  const body = await response.json();
  if (response.status !== 202) throw new Error(`POST /api/runs: ${response.status} ${body.error}`);
  return body.id;
}

async function waitFor(client, id, states) {
  for (;;) {
    const r = await json(client, `/api/runs/${id}`);
    if (states.includes(r.request.status)) return r;
    await sleep(100);
  }
}

const finished = (client, id) => waitFor(client, id, ['finished', 'failed', 'cancelled', 'interrupted']);
const running = (client, id) => waitFor(client, id, ['running']);

function token(store, role) {
  const r = spawnSync(
    process.execPath,
    [BIN, 'token', 'create', '--role', role, '--name', `bench-${role}`, '--store', store],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0) throw new Error(`token create: ${r.stderr}`);
  return r.stdout.trim();
}

async function startServe(store, file, scratch) {
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--store',
      store,
      '--host',
      '127.0.0.1',
      '--port',
      '0',
      '-f',
      file,
      '--concurrency',
      '4',
      '--data-dir',
      join(scratch, 'serve'),
    ],
    { cwd: ROOT, env: { ...process.env, DRILLBOOK_STORE: '' }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (out += d));
  const exited = new Promise((resolve) => child.on('close', resolve));
  const end = Date.now() + 60_000;
  while (!/listening on (http:\/\/127\.0\.0\.1:\d+)/.test(out)) {
    if (child.exitCode !== null || Date.now() > end) throw new Error(`drillbook serve did not start:\n${out}`);
    await sleep(50);
  }
  return {
    url: /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)[1],
    pid: child.pid,
    async stop() {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** User + system CPU seconds of a process (Linux /proc). */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The section's lines for the bench table. */
export function serveLoadLines(r) {
  if (r.skipped) return [`  skipped: ${r.skipped}`];
  const lines = [
    `  ${r.seconds} s, ${Object.values(r.readers).reduce((a, b) => a + b, 0)} readers at once (${Object.entries(
      r.readers,
    )
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}), ${r.runsStarted} runs queued meanwhile; serve used ${r.serveCpuSeconds} CPU s`,
    `  ${'route'.padEnd(40)}${'conns'.padStart(6)}${'requests'.padStart(10)}${'p50 ms'.padStart(9)}${'p99 ms'.padStart(9)}${'errors'.padStart(8)}`,
  ];
  for (const x of r.rows)
    lines.push(
      `  ${x.route.padEnd(40)}${String(x.connections).padStart(6)}${String(x.requests).padStart(10)}${String(x.p50Ms).padStart(9)}${String(x.p99Ms).padStart(9)}${String(x.errors).padStart(8)}`,
    );
  const l = r.live;
  lines.push(
    `  ${l.route.padEnd(40)}${String(l.readers).padStart(6)}${String(l.streams).padStart(10)}${String(l.p50Ms).padStart(9)}${String(l.p99Ms).padStart(9)}${String(l.errors).padStart(8)}  (latency: to the first event; streams checked against the store)`,
  );
  for (const p of l.problems) lines.push(`    ${p}`);
  const c = r.sseCost;
  lines.push(
    `  live SSE cost, one running run for ${c.seconds} s: no reader ${c.idle.serveCpuPercent}% CPU, ${c.idle.dbCommitsPerSecond} commits/s; ${c.streaming.readers} readers ${c.streaming.serveCpuPercent}% CPU, ${c.streaming.dbCommitsPerSecond} commits/s`,
  );
  return lines;
}

/** Zero errors on every route, live streams included. */
export function serveLoadErrors(r) {
  return r.skipped ? null : r.rows.reduce((n, x) => n + x.errors, 0) + r.live.errors;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const scratch = mkdtempSync(join(tmpdir(), 'drillbook-bench-load-'));
  try {
    const load = loadavg()
      .map((x) => x.toFixed(2))
      .join(' ');
    const r = await serveLoad({ seconds: process.argv.includes('--quick') ? 4 : 10, scratch });
    process.stdout.write(
      `serve under load (load average at start ${load}, at end ${r.loadAtEnd?.join(' ') ?? '?'})\n${serveLoadLines(r).join('\n')}\n`,
    );
    if (!r.skipped) writeFileSync(join(scratch, 'serve-load.json'), JSON.stringify(r, null, 2));
    process.exitCode = serveLoadErrors(r) === 0 ? 0 : 1;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
