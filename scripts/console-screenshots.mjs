// The screenshots in docs/console/ (docs/console.md): a real `drillbook serve` on loopback with a scratch
// database on the local PostgreSQL, a few runs of the console's test fixture, and headless Chromium at
// 1280 and 420 px. Run after `npm run build`: node scripts/console-screenshots.mjs
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { chromium } from 'playwright-core';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'drillbook.js');
const OUT = join(ROOT, 'docs', 'console');
const FIXTURE = 'test/fixtures/serve/console.yaml';
const DB = `drillbook_console_shots_${process.pid}`;
const ADMIN = 'postgres://postgres@127.0.0.1:5432/postgres';
const STORE = `postgres://postgres@127.0.0.1:5432/${DB}`;

async function admin(sql) {
  const c = new pg.Client({ connectionString: ADMIN });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

function cli(args, env = {}) {
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    encoding: 'utf8',
  });
  if (r.status !== 0) throw new Error(`drillbook ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function serve(dataDir) {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--store', STORE, '--port', '0', '--data-dir', dataDir, '-f', FIXTURE],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_STORE: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const url = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out)?.[1];
      if (url) resolve({ child, url });
    });
    child.on('close', () => reject(new Error(`serve exited: ${out}`)));
  });
}

async function startRun(url, token, incident, vars) {
  const r = await fetch(`${url}/api/runs`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ runbook: 'console-fixture', incident, mode: 'auto', environment: 'test', vars }),
  });
  return (await r.json()).id;
}

async function shoot(browser, url, token, path, name, ready, width) {
  const page = await browser.newPage({ viewport: { width, height: 900 } });
  await page.goto(`${url}${path}`);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await ready(page);
  await page.screenshot({ path: join(OUT, `${name}-${width}.png`), fullPage: true });
  await page.close();
}

await admin(`create database ${DB}`);
const dataDir = mkdtempSync(join(tmpdir(), 'drillbook-shots-'));
const home = mkdtempSync(join(tmpdir(), 'drillbook-shots-home-'));
let server;
const browser = await chromium.launch({
  executablePath: process.env.DRILLBOOK_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox'],
});
try {
  const token = cli(['token', 'create', '--role', 'admin', '--name', 'alice', '--store', STORE]);
  const carol = cli(['token', 'create', '--role', 'approver', '--name', 'carol', '--store', STORE]);
  server = await serve(dataDir);
  // Past drills for the board's trend: the slow phase taking 1, 2 and 1 s.
  for (const pause of ['1', '2', '1'])
    cli(['run', 'INC-601', '-f', FIXTURE, '--env', 'test', '--mode', 'auto', '--yes', '--var', `pause=${pause}`], {
      DRILLBOOK_HOME: home,
      DRILLBOOK_STORE: STORE,
    });
  mkdirSync(OUT, { recursive: true });
  for (const width of [1280, 420]) {
    const id = await startRun(server.url, token, 'INC-601', { pause: '12' });
    await shoot(
      browser,
      server.url,
      token,
      `/console/live?run=${id}`,
      'live',
      (p) => p.locator('#log li', { hasText: 'OVERRUN' }).waitFor(),
      width,
    );
    await shoot(
      browser,
      server.url,
      token,
      '/console/board',
      'board',
      (p) => p.locator('table.board').waitFor(),
      width,
    );
    await startRun(server.url, carol, 'INC-603', {});
    await shoot(
      browser,
      server.url,
      token,
      '/console/approvals',
      'approvals',
      (p) => p.locator('[data-approval]').first().waitFor({ timeout: 60_000 }),
      width,
    );
  }
  process.stdout.write(`screenshots in ${OUT}\n`);
} finally {
  await browser.close();
  server?.child.kill('SIGTERM');
  await new Promise((r) => (server ? server.child.on('close', r) : r()));
  await admin(`drop database if exists ${DB} with (force)`);
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
}
