import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, drillbook } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { onlyRunDir, workspace, type Workspace } from '../helpers/runs.js';

const FIXTURE = 'test/fixtures/run/secrets.yaml';
const LONG = '16.1803';

function run(ws: Workspace, args: string[]) {
  return drillbook(['run', ...args, '-f', FIXTURE, '--var', `dir=${ws.dir}`, '--renderer', 'plain'], {
    env: { DRILLBOOK_HOME: ws.home },
  });
}

/** Every line of the journal, parsed: throws on a line that does not parse. */
function lines(runDir: string): Record<string, unknown>[] {
  const text = readFileSync(join(runDir, 'journal.jsonl'), 'utf8');
  if (text !== '' && !text.endsWith('\n')) throw new Error(`${runDir}: the journal ends with a torn line`);
  return text
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

function oneLineError(stderr: string): string {
  expect(stderr).not.toMatch(/internal error|\n\s+at /);
  expect(stderr.trimEnd().split('\n')).toHaveLength(1);
  return stderr.trim();
}

afterEach(() => {
  for (const line of processesMatching(LONG)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

/** A run of INC-304 stopped by SIGTERM during its long step: resumable, the long step of unknown outcome. */
async function stoppedRun(ws: Workspace): Promise<string> {
  const child = spawn(
    process.execPath,
    [BIN, 'run', 'INC-304', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
      stdio: 'ignore',
    },
  );
  for (let i = 0; i < 200 && !journalShows(ws, 'approve'); i++) await new Promise((r) => setTimeout(r, 50));
  const exited = new Promise((resolve) => child.on('exit', resolve));
  child.kill('SIGTERM');
  expect(await exited).toBe(143);
  return onlyRunDir(ws);
}

function journalShows(ws: Workspace, step: string): boolean {
  try {
    return lines(onlyRunDir(ws)).some((e) => e.type === 'step-started' && e.step === step);
  } catch {
    return false;
  }
}

describe('a torn journal tail is repaired before a resume appends', () => {
  it.each([
    ['half an event', '{"at":"2026-12-04T10:00:00.000Z","t":5,"type":"step-sta'],
    [
      'a whole event without its newline',
      '{"at":"2026-12-04T10:00:00.000Z","t":5,"type":"decision","step":"x","choice":"skip","by":"x"}',
    ],
    ['a last line that does not parse', '{"at":"2026-12-04T10:00:00.000Z","t":5,"ty\n'],
  ])('%s: resume cuts it off, records it, and the run reads whole afterwards', async (_label, tail) => {
    const ws = workspace();
    const dir = await stoppedRun(ws);
    const runId = dir.split('/').pop() ?? '';
    const before = lines(dir).length;
    appendFileSync(join(dir, 'journal.jsonl'), tail);

    const resumed = run(ws, ['--resume', runId, '--from', 'after', '--mode', 'auto', '--yes']);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    const events = lines(dir);
    expect(events[before]).toMatchObject({ type: 'journal-repaired', droppedBytes: Buffer.byteLength(tail) });
    expect(events[before + 1]).toMatchObject({ type: 'run-resumed' });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'recovered' });

    const report = drillbook(['report', runId, '--format', 'json'], { env: { DRILLBOOK_HOME: ws.home } });
    expect(report.status).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ outcome: 'recovered' });
    expect(drillbook(['history'], { env: { DRILLBOOK_HOME: ws.home } }).status).toBe(0);
  });
});

describe('two processes writing one run', () => {
  async function startLong(ws: Workspace) {
    const child = spawn(
      process.execPath,
      [BIN, 'run', 'INC-305', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
      {
        cwd: ROOT,
        env: { ...process.env, DRILLBOOK_HOME: ws.home },
        stdio: 'ignore',
      },
    );
    for (let i = 0; i < 200; i++) {
      try {
        if (lines(onlyRunDir(ws)).some((e) => e.type === 'step-started' && e.step === 'long')) return child;
      } catch {
        // not written yet
      }
      await new Promise((r) => setTimeout(r, 50));
    }
    throw new Error('the long step never started');
  }
  const exited = (child: ReturnType<typeof spawn>) => new Promise((resolve) => child.on('exit', resolve));

  it('refuses a second writer while the first runs, with a clear one-line error and exit 2', async () => {
    const ws = workspace();
    const first = await startLong(ws);
    const dir = onlyRunDir(ws);
    const runId = dir.split('/').pop() ?? '';
    const before = readFileSync(join(dir, 'journal.jsonl'), 'utf8');
    expect(readFileSync(join(dir, 'journal.lock'), 'utf8').trim()).toBe(String(first.pid));

    const second = run(ws, ['--resume', runId, '--mode', 'auto', '--yes']);
    expect(second.status).toBe(2);
    expect(oneLineError(second.stderr)).toBe(
      `drillbook: run ${runId} is in progress: process ${first.pid} is writing it (${join(dir, 'journal.lock')}); wait for it to finish or stop it, then resume`,
    );
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).toBe(before);
    first.kill('SIGINT');
    await exited(first);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(false);
  });

  it('takes over the lock of a writer that died (kill -9), and releases it when done', async () => {
    const ws = workspace();
    const first = await startLong(ws);
    const dir = onlyRunDir(ws);
    const runId = dir.split('/').pop() ?? '';
    first.kill('SIGKILL');
    await exited(first);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(true);

    const resumed = run(ws, ['--resume', runId, '--mode', 'auto', '--yes']);
    expect(resumed.stderr).not.toContain('in progress');
    expect(resumed.status).toBe(1);
    expect(lines(dir).filter((e) => e.type === 'run-resumed')).toHaveLength(1);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(false);
  });

  it('takes over a lock whose file holds no pid', async () => {
    const ws = workspace();
    const dir = await stoppedRun(ws);
    writeFileSync(join(dir, 'journal.lock'), '');
    const resumed = run(ws, ['--resume', dir.split('/').pop() ?? '', '--from', 'after', '--mode', 'auto', '--yes']);
    expect(resumed.status).toBe(0);
    expect(existsSync(join(dir, 'journal.lock'))).toBe(false);
  });
});

const asRoot = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

describe.skipIf(!asRoot)('a full disk (a 64 KiB tmpfs) while the journal is written', () => {
  function tinyDisk(ws: Workspace): { home: string; unmount(): void; grow(): void } {
    const mnt = join(ws.dir, 'disk');
    mkdirSync(mnt);
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt], { encoding: 'utf8' });
    if (mount.status !== 0) throw new Error(`mount failed: ${mount.stderr}`);
    return {
      home: join(mnt, 'home'),
      unmount: () => {
        spawnSync('umount', ['-l', mnt]);
      },
      grow: () => {
        spawnSync('mount', ['-o', 'remount,size=1m', mnt]);
      },
    };
  }

  /** Runs the incident on the tiny disk (filled with `filler` bytes first), grows the disk, then resumes. */
  function runOnFullDisk(filler: number, incident: string) {
    const ws = workspace();
    const disk = tinyDisk(ws);
    try {
      mkdirSync(disk.home);
      if (filler > 0) writeFileSync(join(disk.home, 'filler'), Buffer.alloc(filler));
      const env = { DRILLBOOK_HOME: disk.home };
      const args = ['-f', FIXTURE, '--mode', 'auto', '--yes', '--var', `dir=${ws.dir}`, '--renderer', 'plain'];
      const full = drillbook(['run', incident, ...args], { env });
      const runId = readdirSync(join(disk.home, 'runs'))[0] ?? '';
      disk.grow();
      const resumed = drillbook(['run', '--resume', runId, ...args], { env });
      const events = lines(join(disk.home, 'runs', runId));
      const report = drillbook(['report', runId, '--format', 'json'], { env });
      return { full, runId, resumed, events, report, ranAfter: existsSync(join(ws.dir, 'after')) };
    } finally {
      disk.unmount();
    }
  }

  const fullMessage = (runId: string) =>
    new RegExp(
      `^drillbook: journal write failed \\(ENOSPC: the disk is full\\): .*${runId}/journal\\.jsonl; the run stopped before its next step\\. Free the disk, then continue with: drillbook run --resume ${runId}$`,
    );

  it('ENOSPC at a large step result: one clear line, exit 1, the next step not run; a resume repairs the tail', () => {
    const { full, runId, resumed, events, report, ranAfter } = runOnFullDisk(0, 'INC-306');
    expect(full.status).toBe(1);
    expect(oneLineError(full.stderr)).toMatch(fullMessage(runId));
    expect(ranAfter).toBe(false);
    expect(resumed.stderr).toBe('');
    expect(events.filter((e) => e.type === 'journal-repaired')).toHaveLength(1);
    // The large step's end never reached the disk: its outcome is unknown, which auto mode does not decide.
    expect(resumed.status).toBe(1);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'aborted' });
    expect(String(events.at(-1)?.reason)).toContain(
      'step "large" started before the run stopped and its outcome is unknown',
    );
    expect(report.status).toBe(0);
    expect(JSON.parse(report.stdout)).toMatchObject({ outcome: 'aborted' });
  });

  it('ENOSPC at the first event: one clear line, exit 1; there is nothing to resume, and that is said clearly', () => {
    const { full, runId, resumed, events, ranAfter } = runOnFullDisk(60 * 1024, 'INC-304');
    expect(full.status).toBe(1);
    expect(oneLineError(full.stderr)).toMatch(fullMessage(runId));
    expect(ranAfter).toBe(false);
    expect(events).toEqual([]);
    expect(resumed.status).toBe(2);
    expect(oneLineError(resumed.stderr)).toMatch(
      /the journal has no run-started event .* there is nothing to resume, start a new run$/,
    );
  });
  it('ENOSPC when the reports are written at the end: one clear line and exit 1, the journal whole', () => {
    const ws = workspace();
    const disk = tinyDisk(ws);
    try {
      // The step fills the disk; the journal's events still fit its last page, report.json does not.
      const dir = join(disk.home, '..');
      const full = drillbook(
        ['run', 'INC-307', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${dir}`, '--renderer', 'plain'],
        { env: { DRILLBOOK_HOME: disk.home } },
      );
      const runId = readdirSync(join(disk.home, 'runs'))[0] ?? '';
      expect(full.status).toBe(1);
      expect(oneLineError(full.stderr)).toMatch(
        /^drillbook: cannot write .*report\.(json|md) \(ENOSPC: the disk is full\); the journal beside it holds the run/,
      );
      expect(lines(join(disk.home, 'runs', runId)).at(-1)).toMatchObject({ type: 'run-finished' });
    } finally {
      disk.unmount();
    }
  });
});
