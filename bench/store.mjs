#!/usr/bin/env node
// The team store's cost per step: auto runs of /bin/true steps with and without a PostgreSQL store, side by
// side in the same rounds. The store's events go in batches from a timer, never awaited by a step, so
// what it adds per step is queueing an event and, every 250 ms, one INSERT's worth of JSON on the event loop.
// `npm run bench` runs it (bench/run.mjs); alone: node bench/store.mjs [--quick]. Method: docs/performance.md.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { trueStepsRunbook } from './generate.mjs';
import { median, sideBySide } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'drillbook.js');
/** The server the bench creates its scratch database on ($DRILLBOOK_BENCH_PG, default the local one). */
const SERVER = process.env.DRILLBOOK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
export const STORE_STEPS = 1000;
export const STORE_TARGET_MS = 0.2;

/**
 * Measures auto mode at 1 and `steps` steps, each without and with a store, and returns the rows and the
 * per-step figures: slope per round (start-up cancels), median over rounds; the store's cost is the
 * difference of the two slopes, round by round. Returns null (with the reason) when no PostgreSQL answers.
 */
export async function storeBench({ rounds, steps = STORE_STEPS, scratch }) {
  const name = `drillbook_bench_${process.pid}`;
  const admin = new pg.Client({ connectionString: `${SERVER}/postgres`, connectionTimeoutMillis: 3000 });
  try {
    await admin.connect();
  } catch (error) {
    return { skipped: `no PostgreSQL at ${SERVER.replace(/:[^:@/]*@/, ':***@')} (${error.message})` };
  }
  try {
    await admin.query(`create database ${name}`);
    const store = `${SERVER}/${name}`;
    const files = {};
    for (const n of [1, steps]) {
      files[n] = join(scratch, `store-true-${n}.yaml`);
      writeFileSync(files[n], trueStepsRunbook(n));
    }
    // Migrate once, outside the measured runs: a store is migrated on its first use only.
    const migrate = sideBySide(
      [{ id: 'migrate', label: 'store migrate', argv: [process.execPath, BIN, 'store', 'migrate', '--store', store] }],
      { runs: 1, warmup: 0, scratch, cwd: ROOT },
    );
    // Each run starts from an empty home, so a run's catch-up has no earlier runs to look at in either variant.
    const variant = (n, withStore) => {
      const home = join(scratch, `store-home-${withStore ? 'store' : 'plain'}-${n}`);
      return {
        id: `${withStore ? 'store' : 'plain'}-${n}`,
        label: `auto, ${n} step${n === 1 ? '' : 's'}${withStore ? ', with the store' : ', no store'}`,
        argv: [process.execPath, BIN, 'run', 'INC-900', '-f', files[n], '--mode', 'auto', '--renderer', 'plain'],
        env: {
          DRILLBOOK_HOME: home,
          NO_COLOR: '1',
          DRILLBOOK_CACHE: join(scratch, 'cache'),
          DRILLBOOK_STORE: withStore ? store : '',
        },
        before: () => {
          rmSync(home, { recursive: true, force: true });
          mkdirSync(home, { recursive: true });
        },
      };
    };
    const rows = sideBySide([variant(1, false), variant(steps, false), variant(1, true), variant(steps, true)], {
      runs: rounds,
      warmup: 1,
      scratch,
      cwd: ROOT,
    });
    const samples = (id) => rows.find((r) => r.id === id).ms.samples;
    const slope = (kind) => samples(`${kind}-${steps}`).map((ms, i) => (ms - samples(`${kind}-1`)[i]) / (steps - 1));
    const [plain, stored] = [slope('plain'), slope('store')];
    const added = stored.map((s, i) => s - plain[i]);
    const events = await admin.query(`select count(*)::int as n from pg_stat_database where datname = $1`, [name]);
    return {
      rows,
      migrateMs: migrate[0].ms.median,
      steps,
      perStep: {
        plainMs: median(plain),
        storeMs: median(stored),
        addedMs: median(added),
        addedRangeMs: [Math.min(...added), Math.max(...added)],
      },
      target: {
        target: `the store adds <= ${STORE_TARGET_MS} ms per step (auto, ${steps} steps)`,
        value: `${median(added).toFixed(3)} ms (rounds ${Math.min(...added).toFixed(3)} to ${Math.max(...added).toFixed(3)})`,
        met: median(added) <= STORE_TARGET_MS,
      },
      database: events.rows.length === 1 ? 'scratch database, dropped after' : 'scratch database',
    };
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

/** The section's lines for the bench table. */
export function storeLines(r, row) {
  if (r.skipped) return [`  skipped: ${r.skipped}`];
  const lines = [];
  for (const x of r.rows) {
    const kind = x.id.split('-')[0];
    row(
      x,
      x.id.endsWith(`-${r.steps}`)
        ? `${(kind === 'store' ? r.perStep.storeMs : r.perStep.plainMs).toFixed(3)} ms/step${kind === 'store' ? `: +${r.perStep.addedMs.toFixed(3)} ms/step for the store` : ''}`
        : '',
      lines,
    );
  }
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const scratch = mkdtempSync(join(tmpdir(), 'drillbook-bench-store-'));
  try {
    const r = await storeBench({ rounds: quick ? 3 : 7, scratch });
    if (r.skipped) {
      process.stdout.write(`store bench skipped: ${r.skipped}\n`);
    } else {
      const out = [];
      storeLines(r, (x, note, lines) =>
        lines.push(
          `${x.label.padEnd(40)}${String(x.runs).padStart(5)}${x.ms.median.toFixed(1).padStart(10)} ms  ${note}`,
        ),
      ).forEach((l) => out.push(l));
      out.push(`[${r.target.met ? 'met' : 'NOT MET'}] ${r.target.target}: ${r.target.value}`);
      process.stdout.write(`${out.join('\n')}\n`);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}
