// Wall time and peak memory of whole processes, measured side by side.
import { spawnSync } from 'node:child_process';
import {
  closeSync,
  constants,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  openSync,
  readFileSync,
  rmSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';

/** GNU time reports the peak RSS (ru_maxrss) and minor faults of the process it runs; it adds well under 1 ms. */
const TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;

/**
 * Runs argv once with stdout to /dev/null and returns its wall time (measured here, around the
 * spawn), its peak RSS in KiB and its minor page faults (from GNU time, null without it; the faults
 * include those of the commands it ran and waited for). A wrong exit status is fatal: a benchmark
 * of a failing command measures nothing.
 */
export function runOnce(argv, { env = {}, cwd, expectStatus = [0], scratch }) {
  const rssFile = join(scratch, `rss-${process.pid}.txt`);
  const full = TIME ? [TIME, '-f', '%M %R', '-o', rssFile, ...argv] : argv;
  const devnull = openSync('/dev/null', 'w');
  try {
    const t0 = performance.now();
    const r = spawnSync(full[0], full.slice(1), {
      cwd,
      env: { ...process.env, ...env },
      stdio: ['ignore', devnull, 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    });
    const ms = performance.now() - t0;
    if (r.error) throw r.error;
    if (!expectStatus.includes(r.status)) {
      throw new Error(
        `${argv.join(' ')} exited ${r.status} (expected ${expectStatus.join(' or ')}):\n${r.stderr.toString().slice(-2000)}`,
      );
    }
    let rssKb = null;
    let minorFaults = null;
    if (TIME) {
      const last = readFileSync(rssFile, 'utf8').trim().split('\n').pop() ?? '';
      [rssKb, minorFaults] = last.split(' ').map(Number);
      rmSync(rssFile, { force: true });
    }
    return { ms, rssKb, minorFaults };
  } finally {
    closeSync(devnull);
  }
}

/**
 * Measures several variants side by side: after `warmup` unrecorded rounds, each of `runs`
 * rounds runs every variant once, in order, so that drift on a shared machine hits all alike.
 */
export function sideBySide(variants, { runs, warmup = 1, scratch, cwd }) {
  const samples = variants.map(() => []);
  for (let round = -warmup; round < runs; round += 1) {
    variants.forEach((v, i) => {
      if (v.before) v.before();
      const s = runOnce(v.argv, { env: v.env, cwd, expectStatus: v.expectStatus, scratch });
      if (round >= 0) samples[i].push(s);
    });
  }
  return variants.map((v, i) => ({ id: v.id, label: v.label, ...summarise(samples[i]) }));
}

export function summarise(samples) {
  const ms = samples.map((s) => s.ms);
  const rss = samples.map((s) => s.rssKb).filter((x) => x !== null);
  const faults = samples.map((s) => s.minorFaults).filter((x) => x !== null);
  return {
    runs: samples.length,
    ms: {
      min: Math.min(...ms),
      median: median(ms),
      max: Math.max(...ms),
      samples: ms.map((x) => Math.round(x * 100) / 100),
    },
    rssMb: rss.length ? { median: median(rss) / 1024, max: Math.max(...rss) / 1024 } : null,
    minorFaults: faults.length ? median(faults) : null,
  };
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * What making one appended journal line durable costs in dir, three ways: write + fsync, write + fdatasync (no
 * metadata flush unless the size changed), and a write to a file opened O_DSYNC. Median of `count` lines each.
 */
export function flushCostsMs(dir, count = 200) {
  const line = `${JSON.stringify({ at: new Date().toISOString(), type: 'step-started', step: 'probe', attempt: 1 })}\n`;
  const way = (name, flags, flush) => {
    const file = join(dir, `flush-probe-${name}.jsonl`);
    const fd = openSync(file, flags);
    const times = [];
    try {
      writeSync(fd, line);
      flush(fd);
      for (let i = 0; i < count; i += 1) {
        const t0 = performance.now();
        writeSync(fd, line);
        flush(fd);
        times.push(performance.now() - t0);
      }
    } finally {
      closeSync(fd);
      rmSync(file, { force: true });
    }
    return Number(median(times).toFixed(3));
  };
  return {
    fsync: way('fsync', 'a', fsyncSync),
    fdatasync: way('fdatasync', 'a', fdatasyncSync),
    oDsync: way('odsync', constants.O_WRONLY | constants.O_CREAT | constants.O_APPEND | constants.O_DSYNC, () => {}),
  };
}

/** Microseconds per page written right after a spawn (a copy-on-write fault) and with no spawn between. */
export function forkWriteFaultUs(probe) {
  const r = spawnSync(process.execPath, [probe], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`fork fault probe failed:\n${r.stderr}`);
  return JSON.parse(r.stdout);
}
