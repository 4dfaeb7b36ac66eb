#!/usr/bin/env node
// `npm run bench`: drillbook next to the physical floor, measured side by side in one run.
// Absolute times on a shared machine are noise; the ratios and differences are the result.
// Method and interpretation: docs/performance.md.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  statfsSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { largeRunbook, trueStepsRunbook } from './generate.mjs';
import { flushCostsMs, forkWriteFaultUs, median, sideBySide } from './measure.mjs';
import { storeBench, storeLines } from './store.mjs';
import { serveLoad, serveLoadErrors, serveLoadLines } from './serve-load.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BIN = join(ROOT, 'bin', 'drillbook.js');
const FLOOR = join(ROOT, 'bench', 'floor.mjs');
const FLOOR_SYNC = join(ROOT, 'bench', 'floor-sync.mjs');
const FORK_FAULT_PROBE = join(ROOT, 'bench', 'fork-fault-probe.mjs');
const SHIPPED = 'playbooks/thebot-dr.yaml';
const SHIPPED_INCIDENTS = ['INC-001', 'INC-002', 'INC-003', 'INC-004', 'INC-005', 'INC-006'];
// Per-step cost: paired runs of 1 and 200 steps over PAIRED_ROUNDS rounds; 1000 steps, fewer rounds, for linear growth.
const STEP_COUNTS = [1, 200, 1000];
const PAIRED_ROUNDS = { 200: 30, 1000: 5 };
const HISTORY_RUNS = 300;
// A RAM file system for the journal: the same runs with a free fsync show what durability costs.
const TMPFS = '/dev/shm';
const LARGE = { incidents: 50, steps: 200 };

const args = process.argv.slice(2);
// --quick: fewer rounds, for a smoke test of the bench itself; the figures are then rough.
const scale = args.includes('--quick') ? 0.4 : 1;
const rounds = (n) => Math.max(3, Math.round(n * scale));

const scratch = mkdtempSync(join(tmpdir(), 'drillbook-bench-'));
const home = join(scratch, 'home');
mkdirSync(home);
const node = process.execPath;
const drillbook = (...rest) => [node, BIN, ...rest];
// Verdicts of valid runbooks are cached (src/validate/validation-cache.ts); the warm-up round fills
// the bench's own cache, and the "cold" rows switch it off to show what a first run costs.
const env = { DRILLBOOK_HOME: home, NO_COLOR: '1', DRILLBOOK_CACHE: join(scratch, 'cache') };
const cold = { ...env, DRILLBOOK_CACHE: 'off' };
const opts = (runs, warmup = 1) => ({ runs: rounds(runs), warmup, scratch, cwd: ROOT });

const files = {};
for (const n of STEP_COUNTS) files[n] = write(`true-${n}.yaml`, trueStepsRunbook(n));
files.large = write('large.yaml', largeRunbook(LARGE.incidents, LARGE.steps));

const started = performance.now();
const meta = {
  date: new Date().toISOString(),
  node: process.version,
  cpu: `${cpus()[0]?.model ?? 'unknown'} x ${cpus().length}`,
  loadAtStart: loadavg().map((x) => Number(x.toFixed(2))),
  commit: gitCommit(),
  scratchFs: fsType(scratch),
  flushMs: flushCostsMs(home),
  // After a fork every page of the parent is copy-on-write: the first write to each costs a fault.
  pageWriteAfterSpawnUs: forkWriteFaultUs(FORK_FAULT_PROBE),
  timer: '/usr/bin/time (peak RSS, minor page faults) around each process; wall time measured around the spawn',
};
const results = {};
const log = (line) => {
  process.stderr.write(`${line}\n`);
};

for (const [file, label] of [
  [files[1], '1 step'],
  [files.large, '10,000 steps'],
]) {
  // Every generated runbook must be valid, or the figures below measure an error path.
  const r = spawnSync(node, [BIN, 'validate', file], { encoding: 'utf8', cwd: ROOT });
  if (r.status !== 0) throw new Error(`generated runbook (${label}) does not validate:\n${r.stderr.slice(0, 2000)}`);
}

const historyHome = preparedHistory(HISTORY_RUNS);

log('start-up ...');
results.startup = sideBySide(
  [
    { id: 'node', label: 'node -e 0 (floor)', argv: [node, '-e', '0'] },
    { id: 'version', label: 'drillbook --version', argv: drillbook('--version'), env },
    { id: 'validate', label: `drillbook validate ${SHIPPED}`, argv: drillbook('validate', SHIPPED), env },
    {
      id: 'validate-cold',
      label: `  same, cold (no cache: parses the YAML)`,
      argv: drillbook('validate', SHIPPED),
      env: cold,
    },
    { id: 'help', label: 'drillbook --help', argv: drillbook('--help'), env },
    {
      id: 'history-cold',
      label: `  same, no summaries (judged from journals)`,
      argv: drillbook('history'),
      env: { ...env, DRILLBOOK_HOME: historyHome },
      before: () => forgetSummaries(historyHome),
    },
    {
      id: 'history',
      label: `drillbook history, ${HISTORY_RUNS} runs`,
      argv: drillbook('history'),
      env: { ...env, DRILLBOOK_HOME: historyHome },
    },
  ],
  opts(15, 2),
);

log('auto mode, /bin/true steps ...');
// Each size runs in rounds with the 1-step runs beside it, so every round gives its own per-step estimate
// (start-up cancels within the round) and drift between rounds cannot leak into the slope.
const tmpfsHome = tmpfsAvailable() ? mkdtempSync(join(TMPFS, 'drillbook-bench-')) : null;
const autoVariants = (n, withTmpfs) => [
  { id: `floor-${n}`, label: `floor: node spawning /bin/true x${n}`, argv: [node, FLOOR, String(n)] },
  { id: `floorsync-${n}`, label: `floor: spawnSync loop x${n}`, argv: [node, FLOOR_SYNC, String(n)] },
  {
    id: `auto-${n}`,
    label: `drillbook run --mode auto, ${n} step${n === 1 ? '' : 's'}`,
    argv: drillbook('run', 'INC-900', '-f', files[n], '--mode', 'auto', '--renderer', 'plain'),
    env,
  },
  ...(withTmpfs && tmpfsHome
    ? [
        {
          id: `tmpfs-${n}`,
          label: `  same, journal on tmpfs (fsync free)`,
          argv: drillbook('run', 'INC-900', '-f', files[n], '--mode', 'auto', '--renderer', 'plain'),
          env: { ...env, DRILLBOOK_HOME: tmpfsHome },
        },
      ]
    : []),
];
results.autoGroups = {};
for (const n of STEP_COUNTS.filter((x) => x > 1)) {
  const withTmpfs = n === STEP_COUNTS[1];
  results.autoGroups[n] = sideBySide([...autoVariants(1, withTmpfs), ...autoVariants(n, withTmpfs)], {
    ...opts(PAIRED_ROUNDS[n]),
    runs: args.includes('--quick') ? 3 : PAIRED_ROUNDS[n],
  });
}
if (tmpfsHome) rmSync(tmpfsHome, { recursive: true, force: true });
// The table's rows: the 1-step runs of the first group, then each size.
const firstGroup = results.autoGroups[STEP_COUNTS[1]];
results.auto = [
  ...firstGroup.filter((x) => x.id.endsWith('-1')),
  ...Object.values(results.autoGroups).flatMap((g) => g.filter((x) => !x.id.endsWith('-1'))),
];

log('simulate ...');
results.simulate = sideBySide(
  [
    ...SHIPPED_INCIDENTS.map((id) => ({
      id: `sim-${id}`,
      label: `simulate ${id} (shipped runbook)`,
      argv: drillbook('run', id, '--mode', 'simulate', '--env', 'production', '--renderer', 'plain'),
      env,
    })),
    {
      id: 'sim-large',
      label: `simulate INC-050 of ${LARGE.incidents}x${LARGE.steps} steps`,
      argv: drillbook('run', 'INC-050', '-f', files.large, '--mode', 'simulate', '--renderer', 'plain'),
      env,
    },
    {
      id: 'sim-large-cold',
      label: '  same, cold (no cache: parses the YAML)',
      argv: drillbook('run', 'INC-050', '-f', files.large, '--mode', 'simulate', '--renderer', 'plain'),
      env: cold,
    },
  ],
  opts(5),
);

log('validate and render the large runbook ...');
const renderFormats = renderAvailable() ? ['markdown', 'html'] : [];
const outDir = join(scratch, 'rendered');
results.large = sideBySide(
  [
    {
      id: 'validate-large',
      label: `validate ${LARGE.incidents}x${LARGE.steps} steps`,
      argv: drillbook('validate', files.large),
      env,
    },
    {
      id: 'validate-large-cold',
      label: '  same, cold (no cache: parses the YAML)',
      argv: drillbook('validate', files.large),
      env: cold,
    },
    ...renderFormats.map((format) => ({
      id: `render-${format}`,
      label: `render --format ${format}, ${LARGE.incidents}x${LARGE.steps} steps`,
      argv: drillbook('render', '-f', files.large, '--format', format, '--out', join(outDir, format)),
      env,
      before: () => {
        rmSync(join(outDir, format), { recursive: true, force: true });
      },
    })),
  ],
  opts(5),
);

log('auto mode with and without the team store (PostgreSQL) ...');
// Its own rounds of 1000 steps, without and with DRILLBOOK_STORE, in turns (bench/store.mjs).
results.store = await storeBench({ rounds: rounds(11), scratch });

log('drillbook serve under load (autocannon and live SSE readers) ...');
// A real serve on loopback with a scratch database, runs executing meanwhile (bench/serve-load.mjs).
results.serveLoad = await serveLoad({ seconds: scale < 1 ? 4 : 10, scratch });

meta.loadAtEnd = loadavg().map((x) => Number(x.toFixed(2)));
meta.benchSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
meta.render = renderFormats.length
  ? renderFormats
  : 'absent: no `drillbook render` command in this build; validate only';

const derived = derive(results);
const targets = judge(results, derived);
writeFileSync(join(ROOT, 'bench', 'results.json'), `${JSON.stringify({ meta, results, derived, targets }, null, 2)}\n`);
process.stdout.write(table(meta, results, derived, targets));
rmSync(scratch, { recursive: true, force: true });

/**
 * A home with `count` finished runs for the history benchmark: one real run of the 1-step runbook, its journal
 * copied under new run ids (history judges each copy from its journal, then from the summary it keeps beside it).
 */
function preparedHistory(count) {
  const dir = join(scratch, 'history-home');
  const r = spawnSync(node, [BIN, 'run', 'INC-900', '-f', files[1], '--mode', 'auto', '--renderer', 'plain'], {
    encoding: 'utf8',
    cwd: ROOT,
    env: { ...process.env, ...env, DRILLBOOK_HOME: dir },
  });
  if (r.status !== 0) throw new Error(`the run for the history benchmark failed:\n${r.stderr.slice(-2000)}`);
  const runs = join(dir, 'runs');
  const [first] = readdirSync(runs);
  const journal = readFileSync(join(runs, first, 'journal.jsonl'), 'utf8');
  for (let i = 1; i < count; i += 1) {
    const id = `${first.slice(0, -4)}${i.toString(16).padStart(4, '0')}`;
    mkdirSync(join(runs, id));
    writeFileSync(join(runs, id, 'journal.jsonl'), journal.replaceAll(first, id));
  }
  return dir;
}

function forgetSummaries(dir) {
  for (const id of readdirSync(join(dir, 'runs'))) rmSync(join(dir, 'runs', id, 'history.json'), { force: true });
}

function tmpfsAvailable() {
  return existsSync(TMPFS) && statfsSync(TMPFS).type === 0x01021994;
}

function write(name, text) {
  const file = join(scratch, name);
  writeFileSync(file, text);
  return file;
}

function byId(list, id) {
  const found = list.find((r) => r.id === id);
  if (!found) throw new Error(`no result ${id}`);
  return found;
}

/**
 * Per-step cost is the slope between 1 and N steps: start-up and the one-off work cancel out. It is taken per
 * round (the runs of a round ran back to back) and the median over rounds is the figure, with its range.
 */
function derive(r) {
  const rss = (id) => byId(r.auto, id).rssMb?.median ?? null;
  const perStep = {};
  for (const n of STEP_COUNTS.filter((x) => x > 1)) {
    const group = r.autoGroups[n];
    const has = (id) => group.some((x) => x.id === id);
    const samples = (id) => byId(group, id).ms.samples;
    const slope = (id) => samples(`${id}-${n}`).map((ms, i) => (ms - samples(`${id}-1`)[i]) / (n - 1));
    const over = (a, b) => {
      const d = a.map((x, i) => x - b[i]);
      return { ms: median(d), rangeMs: [Math.min(...d), Math.max(...d)] };
    };
    const [drill, floor, floorSync] = [slope('auto'), slope('floor'), slope('floorsync')];
    const faults = (id) => byId(group, id).minorFaults;
    // Minor page faults per step above the floor's (the /bin/true children's own faults cancel out).
    const extraFaults =
      faults('auto-1') === null
        ? null
        : (faults(`auto-${n}`) - faults('auto-1') - (faults(`floor-${n}`) - faults('floor-1'))) / (n - 1);
    perStep[n] = {
      rounds: drill.length,
      drillbookMs: median(drill),
      floorMs: median(floor),
      floorSyncMs: median(floorSync),
      overAsync: over(drill, floor),
      overSync: over(drill, floorSync),
      tmpfsOverAsync: has(`tmpfs-${n}`) ? over(slope('tmpfs'), floor) : null,
      extraFaults,
    };
  }
  const node = byId(r.startup, 'node').ms.median;
  const ratio = (id) => byId(r.startup, id).ms.median / node;
  return {
    startupRatio: Object.fromEntries(
      ['version', 'validate', 'validate-cold', 'help', 'history', 'history-cold'].map((id) => [id, ratio(id)]),
    ),
    perStep,
    growth: {
      // ~1.0: each step costs the same at 1000 steps as at 200 (linear); above 1: worse than linear. The
      // floor's own ratio is beside it: a spawn on this machine can get slower between the two groups,
      // and the judged figure divides that drift out.
      timePerStep1000vs200: perStep[1000].drillbookMs / perStep[200].drillbookMs,
      floorPerStep1000vs200: perStep[1000].floorMs / perStep[200].floorMs,
      againstFloor:
        perStep[1000].drillbookMs / perStep[200].drillbookMs / (perStep[1000].floorMs / perStep[200].floorMs),
      rssMb: Object.fromEntries(STEP_COUNTS.map((n) => [n, rss(`auto-${n}`)])),
      rssKbPerStep: rss('auto-1000') !== null ? ((rss('auto-1000') - rss('auto-1')) * 1024) / 999 : null,
    },
  };
}

function serveLoadTarget(load) {
  const target = 'drillbook serve under load (50 readers of history, stats and SSE while runs execute): no errors';
  if (load.skipped) return { target, value: `not measured: ${load.skipped}`, met: false };
  const errors = serveLoadErrors(load);
  const worst = Math.max(...load.rows.map((x) => x.p99Ms));
  return { target, value: `${errors} errors; worst p99 ${worst} ms`, met: errors === 0 };
}

function judge(r, d) {
  const all = [...r.startup, ...r.auto, ...r.simulate, ...r.large, ...(r.store.rows ?? [])];
  const peak = Math.max(...all.map((x) => x.rssMb?.max ?? 0));
  const over100 = all
    .filter((x) => (x.rssMb?.max ?? 0) >= 100)
    .map((x) => `${x.label.trim()} ${x.rssMb.max.toFixed(0)}`);
  const worst = all.reduce((a, b) => ((b.rssMb?.max ?? 0) > (a.rssMb?.max ?? 0) ? b : a));
  const p = d.perStep[200];
  const x = (v) => `${v.toFixed(2)} x`;
  return [
    {
      target: 'per-step overhead above the async floor <= 0.5 ms (200 steps, journal on disk)',
      value: `+${p.overAsync.ms.toFixed(2)} ms (rounds ${p.overAsync.rangeMs.map((v) => v.toFixed(2)).join(' to ')}; over the spawnSync floor +${p.overSync.ms.toFixed(2)} ms)`,
      met: p.overAsync.ms <= 0.5,
    },
    {
      target: 'peak RSS < 100 MB in every benchmark',
      value: `${peak.toFixed(1)} MB (${worst.label.trim()})${over100.length > 1 ? `; over: ${over100.join(', ')}` : ''}`,
      met: peak > 0 && peak < 100,
    },
    { target: 'drillbook --help <= 1.5 x node -e 0', value: x(d.startupRatio.help), met: d.startupRatio.help <= 1.5 },
    {
      target: `history over ${HISTORY_RUNS} runs <= 2.0 x node -e 0`,
      value: `${x(d.startupRatio.history)} (runs without a summary, judged from their journals: ${x(d.startupRatio['history-cold'])})`,
      met: d.startupRatio.history <= 2.0,
    },
    {
      target: 'validate of the shipped runbook <= 2.0 x node -e 0',
      value: `${x(d.startupRatio.validate)} (cold, first run of this file: ${x(d.startupRatio['validate-cold'])})`,
      met: d.startupRatio.validate <= 2.0,
    },
    {
      target: 'simulate of the 10,000-step runbook < 1 s',
      value: `${Math.round(byId(r.simulate, 'sim-large').ms.median)} ms (cold: ${Math.round(byId(r.simulate, 'sim-large-cold').ms.median)} ms)`,
      met: byId(r.simulate, 'sim-large').ms.median < 1000,
    },
    {
      target: "time per step grows linearly (1000 vs 200 steps, against the floor's own ratio, <= 1.2)",
      value: `${d.growth.againstFloor.toFixed(2)} (drillbook ${d.growth.timePerStep1000vs200.toFixed(2)}, floor ${d.growth.floorPerStep1000vs200.toFixed(2)})`,
      met: d.growth.againstFloor <= 1.2,
    },
    r.store.skipped
      ? { target: 'the store adds <= 0.2 ms per step', value: `not measured: ${r.store.skipped}`, met: false }
      : r.store.target,
    serveLoadTarget(r.serveLoad),
  ];
}

function table(m, r, d, t) {
  const f = (x) => (x >= 100 ? x.toFixed(0) : x.toFixed(1)).padStart(8);
  const head = `${'benchmark'.padEnd(52)}${'runs'.padStart(5)}${'min'.padStart(8)}${'median'.padStart(8)}${'max'.padStart(8)}  ${'peak RSS'.padStart(9)}  note`;
  const fl = m.flushMs;
  const lines = [
    `drillbook bench — ${m.date}, node ${m.node}, ${m.cpu}, load ${m.loadAtStart.join(' ')} -> ${m.loadAtEnd.join(' ')}`,
    `times in ms (min / median / max of the recorded runs after warm-up); RSS in MB (${m.scratchFs})`,
    `making one journal line durable here: write+fsync ${fl.fsync} ms, write+fdatasync ${fl.fdatasync} ms, O_DSYNC write ${fl.oDsync} ms (median of 200)`,
    `first write to a page after a spawn (copy-on-write fault): ${m.pageWriteAfterSpawnUs.afterSpawnUs} us here (${m.pageWriteAfterSpawnUs.plainUs} us without a spawn before it)`,
    '',
    head,
    '-'.repeat(head.length + 10),
  ];
  const row = (x, note = '', into = lines) =>
    into.push(
      `${x.label.padEnd(52)}${String(x.runs).padStart(5)}${f(x.ms.min)}${f(x.ms.median)}${f(x.ms.max)}  ${(x.rssMb ? x.rssMb.max.toFixed(1) : 'n/a').padStart(9)}  ${note}`,
    );
  const range = (o) =>
    `${o.ms >= 0 ? '+' : ''}${o.ms.toFixed(2)} ms (rounds ${o.rangeMs.map((v) => v.toFixed(2)).join(' to ')})`;
  const node = byId(r.startup, 'node').ms.median;
  lines.push('start-up');
  for (const x of r.startup) row(x, x.id === 'node' ? '' : `${(x.ms.median / node).toFixed(2)} x node -e 0`);
  lines.push('auto mode (run steps of /bin/true; a step boundary is one journal write and one fdatasync)');
  for (const x of r.auto) {
    const [kind, count] = x.id.split('-');
    const p = d.perStep[Number(count)];
    let note = '';
    if (p && kind === 'auto')
      note = `${p.drillbookMs.toFixed(2)} ms/step: over the async floor ${range(p.overAsync)}, over spawnSync ${range(p.overSync)}${p.extraFaults === null ? '' : `, ${p.extraFaults >= 0 ? '+' : ''}${p.extraFaults.toFixed(0)} page faults/step`}`;
    if (p && kind === 'tmpfs' && p.tmpfsOverAsync) note = `over the async floor ${range(p.tmpfsOverAsync)}`;
    if (p && kind.startsWith('floor')) note = `${(kind === 'floor' ? p.floorMs : p.floorSyncMs).toFixed(2)} ms/step`;
    row(x, note);
  }
  lines.push('simulate');
  for (const x of r.simulate) row(x);
  lines.push(`large runbook (${LARGE.incidents} incidents x ${LARGE.steps} steps)`);
  for (const x of r.large) row(x);
  if (typeof m.render === 'string') lines.push(`  render: ${m.render}`);
  lines.push('team store (auto mode, /bin/true steps, without and with DRILLBOOK_STORE)');
  lines.push(...storeLines(r.store, row));
  lines.push('drillbook serve under load (bench/serve-load.mjs)');
  lines.push(...serveLoadLines(r.serveLoad));
  lines.push(
    '',
    `growth 1 -> 200 -> 1000 steps: time per step at 1000 / at 200 = ${d.growth.timePerStep1000vs200.toFixed(2)} (the floor's: ${d.growth.floorPerStep1000vs200.toFixed(2)}); peak RSS ${STEP_COUNTS.map((n) => `${d.growth.rssMb[n]?.toFixed(1) ?? 'n/a'}`).join(' -> ')} MB (${d.growth.rssKbPerStep?.toFixed(1) ?? 'n/a'} KB per step)`,
    '',
    'targets',
  );
  for (const x of t) lines.push(`  [${x.met ? 'met' : 'NOT MET'}] ${x.target}: ${x.value}`);
  lines.push('', `bench took ${m.benchSeconds} s; results in bench/results.json`);
  return `${lines.join('\n')}\n`;
}

function renderAvailable() {
  const r = spawnSync(node, [BIN, 'render', '--help'], { encoding: 'utf8', cwd: ROOT });
  return r.status === 0 && r.stdout.includes('--format');
}

function gitCommit() {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: ROOT,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'unknown';
  }
}

function fsType(dir) {
  // tmpfs makes fsync free, which would hide the journal's durability cost.
  const type = statfsSync(dir).type;
  return type === 0x01021994
    ? 'tmpfs: fsync is free here, set TMPDIR to a disk'
    : type === 0xef53
      ? 'ext4'
      : `fs type 0x${type.toString(16)}`;
}
