#!/usr/bin/env node
// The team store's cost per step: auto runs of /bin/true steps without and with a PostgreSQL store, in turns,
// round after round. With a store the run writes each durable journal line down a pipe to the shipper's own
// process, which batches them into PostgreSQL: what a step pays is that write, and the CPU the shipper and
// the server take beside it.
// `npm run bench` runs it (bench/run.mjs); alone: node bench/store.mjs [--quick]. Method: docs/performance.md.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { trueStepsRunbook } from './generate.mjs';
import { median, runOnce, summarise } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'drillbook.js');
/** The server the bench creates its scratch database on ($DRILLBOOK_BENCH_PG, default the local one). */
const SERVER = process.env.DRILLBOOK_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432';
export const STORE_STEPS = 1000;
/** The smaller size of the slope. */
const STORE_BASE_STEPS = 200;
export const STORE_TARGET_MS = 0.2;

/**
 * Measures auto mode at 200 and `steps` steps, without and with a store, in turns, round after round, and
 * returns the rows and the per-step figures: the slope of the step loop's time (from each run's journal)
 * between the two sizes, the store's cost the difference of the slopes within each round, the median over
 * rounds; and what a store costs a run once (whole runs of 200 steps, with against without).
 * Returns { skipped } when no PostgreSQL answers.
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
    const sizes = [STORE_BASE_STEPS, steps];
    const files = Object.fromEntries(
      sizes.map((n) => {
        const file = join(scratch, `store-true-${n}.yaml`);
        writeFileSync(file, trueStepsRunbook(n));
        return [n, file];
      }),
    );
    // Migrated once, outside the measured runs: a store is migrated on its first use only.
    runOnce([process.execPath, BIN, 'store', 'migrate', '--store', store], { cwd: ROOT, scratch });
    const variants = [false, true].flatMap((withStore) =>
      sizes.map((n) => ({
        id: `${withStore ? 'store' : 'plain'}-${n}`,
        label: `auto, ${n} steps, ${withStore ? 'with the store' : 'no store'}`,
        file: files[n],
        home: join(scratch, `store-home-${withStore ? 'store' : 'plain'}-${n}`),
        store: withStore ? store : '',
      })),
    );
    const samples = Object.fromEntries(variants.map((v) => [v.id, []]));
    for (let round = -1; round < rounds; round += 1) {
      for (const v of variants) {
        // An empty home each time: a run's catch-up has no earlier runs to look at.
        rmSync(v.home, { recursive: true, force: true });
        mkdirSync(v.home, { recursive: true });
        const argv = [process.execPath, BIN, 'run', 'INC-900', '-f', v.file, '--mode', 'auto', '--renderer', 'plain'];
        const env = {
          DRILLBOOK_HOME: v.home,
          NO_COLOR: '1',
          DRILLBOOK_CACHE: join(scratch, 'cache'),
          DRILLBOOK_STORE: v.store,
        };
        const whole = runOnce(argv, { env, cwd: ROOT, scratch });
        if (round >= 0) samples[v.id].push({ ...whole, loopMs: stepLoopMs(v.home) });
      }
    }
    const stored = await admin.query('select count(*)::int as n from pg_database where datname = $1', [name]);
    // The step loop's slope between the two sizes, per round: what the shipper's start (a process, pg,
    // a connection, the catch-up) costs once falls in both loops alike and cancels.
    const slope = (kind) =>
      samples[`${kind}-${steps}`].map(
        (s, i) => (s.loopMs - samples[`${kind}-${STORE_BASE_STEPS}`][i].loopMs) / (steps - STORE_BASE_STEPS),
      );
    const [plain, withStore] = [slope('plain'), slope('store')];
    const added = withStore.map((s, i) => s - plain[i]);
    const once = samples[`store-${STORE_BASE_STEPS}`].map((s, i) => s.ms - samples[`plain-${STORE_BASE_STEPS}`][i].ms);
    const rows = variants.map((v) => ({ id: v.id, label: v.label, ...summarise(samples[v.id]) }));
    return {
      rows,
      steps,
      rounds,
      perStep: {
        plainMs: median(plain),
        storeMs: median(withStore),
        addedMs: median(added),
        addedRangeMs: [Math.min(...added), Math.max(...added)],
      },
      onceMs: median(once),
      target: {
        target: `the store adds <= ${STORE_TARGET_MS} ms per step (auto, ${STORE_BASE_STEPS} -> ${steps} steps, step loop)`,
        value: `${median(added).toFixed(3)} ms (rounds ${Math.min(...added).toFixed(3)} to ${Math.max(...added).toFixed(3)})`,
        met: median(added) <= STORE_TARGET_MS,
      },
      database: stored.rows[0]?.n === 1 ? 'scratch database, dropped after' : 'scratch database',
    };
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`).catch(() => {});
    await admin.end();
  }
}

/**
 * The step loop's wall time, from the run's own journal: first step started to last step finished. Start-up,
 * the recovered check and the end (where the shipper's last batch waits) are outside it, so the figure is
 * what a responder's steps pay, not what the process costs.
 */
function stepLoopMs(home) {
  const runs = join(home, 'runs');
  const [id] = readdirSync(runs);
  const events = readFileSync(join(runs, id, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));
  const first = events.find((e) => e.type === 'step-started');
  const last = events.findLast((e) => e.type === 'step-finished');
  return last.t - first.t;
}

/** The section's lines for the bench table. */
export function storeLines(r, row) {
  if (r.skipped) return [`  skipped: ${r.skipped}`];
  const lines = [];
  for (const x of r.rows)
    row(
      x,
      x.id === `store-${r.steps}`
        ? `step loop ${r.perStep.storeMs.toFixed(3)} ms/step: +${r.perStep.addedMs.toFixed(3)} ms/step for the store (rounds ${r.perStep.addedRangeMs.map((v) => v.toFixed(3)).join(' to ')})`
        : x.id === `plain-${r.steps}`
          ? `step loop ${r.perStep.plainMs.toFixed(3)} ms/step`
          : x.id.startsWith('store')
            ? `once per run: +${Math.round(r.onceMs)} ms (the shipper's start and last batch)`
            : '',
      lines,
    );
  return lines;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const quick = process.argv.includes('--quick');
  const scratch = mkdtempSync(join(tmpdir(), 'drillbook-bench-store-'));
  try {
    const r = await storeBench({ rounds: quick ? 3 : 11, scratch });
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
