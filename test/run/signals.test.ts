import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, drillbook } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { journalEvents, onlyRunDir, reportOf, workspace, type Workspace } from '../helpers/runs.js';

const TRUTH = 'test/fixtures/run/truth.yaml';
const MARKER = '31.4159';

afterEach(() => {
  for (const line of processesMatching(MARKER)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function startLong(ws: Workspace, extra: string[] = []) {
  return spawn(
    process.execPath,
    [BIN, 'run', 'INC-205', '-f', TRUTH, '--mode', 'auto', '--renderer', 'plain', '--var', `dir=${ws.dir}`, ...extra],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

async function until(test: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    try {
      if (test()) return;
    } catch {
      /* not there yet */
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const longStarted = (ws: Workspace) => () =>
  journalEvents(onlyRunDir(ws)).some((e) => e.type === 'step-started' && e.step === 'long');
const exited = (child: ReturnType<typeof spawn>) =>
  new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );

describe('signals end a run the same way, each with its own exit code', () => {
  for (const [signal, code] of [
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['SIGHUP', 129],
  ] as const) {
    it(`${signal}: the step's group is stopped, always runs, the journal ends, exit ${code}`, async () => {
      const ws = workspace();
      const child = startLong(ws);
      await until(longStarted(ws), 'the long step');
      child.kill(signal);
      expect(await exited(child)).toBe(code);
      expect(processesMatching(MARKER)).toEqual([]);
      const events = journalEvents(onlyRunDir(ws));
      expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'interrupted', exitCode: code });
      expect((events.at(-1) as { reason: string }).reason).toContain(signal);
      expect(existsSync(join(ws.dir, 'after'))).toBe(false);
    });
  }

  it('a second Ctrl-C kills the group at once and still finishes the journal', async () => {
    const ws = workspace();
    // A step that ignores SIGTERM: only SIGKILL ends it.
    const child = startLong(ws);
    await until(longStarted(ws), 'the long step');
    child.kill('SIGINT');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    expect(processesMatching(MARKER)).toEqual([]);
    expect(journalEvents(onlyRunDir(ws)).at(-1)).toMatchObject({ type: 'run-finished', outcome: 'interrupted' });
  });
});

describe('a broken pipe', () => {
  it('ends the run with a documented non-zero code; the step that completed is recorded; the journal is finished', () => {
    const ws = workspace();
    const r = spawnSync(
      'bash',
      [
        '-c',
        `node ${BIN} run INC-206 -f ${TRUTH} --mode auto --renderer plain --var dir=${ws.dir} | head -1; echo "exit=\${PIPESTATUS[0]}"`,
      ],
      {
        cwd: ROOT,
        env: { ...process.env, DRILLBOOK_HOME: ws.home },
        encoding: 'utf8',
      },
    );
    expect(r.stdout).toMatch(/exit=141/);
    const events = journalEvents(onlyRunDir(ws));
    const last = events.at(-1) as { type: string; outcome: string; reason: string };
    expect(last).toMatchObject({ type: 'run-finished', outcome: 'interrupted', exitCode: 141 });
    expect(last.reason).toMatch(/output/);
    for (const e of events.filter((x) => x.type === 'step-started')) {
      expect(events.some((x) => x.type === 'step-finished' && x.step === e.step)).toBe(true);
    }
    expect(existsSync(join(ws.dir, 's4'))).toBe(false);
  });
});

describe('resume', () => {
  it("keeps the run's mode, takes a prefix or latest, and a simulation never finishes a real run", async () => {
    const ws = workspace();
    const child = startLong(ws);
    await until(longStarted(ws), 'the long step');
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    const runId = onlyRunDir(ws).split('/').pop() ?? '';
    const env = { DRILLBOOK_HOME: ws.home };
    const sim = drillbook(['run', '--resume', runId, '-f', TRUTH, '--mode', 'simulate', '--var', `dir=${ws.dir}`], {
      env,
    });
    expect(sim.status).toBe(2);
    expect(sim.stderr).toMatch(/executed real steps/);
    // No --mode: the run goes on in auto, where a step of unknown outcome waits for a person.
    const r = drillbook(
      ['run', '--resume', runId.slice(0, 20), '-f', TRUTH, '--renderer', 'plain', '--var', `dir=${ws.dir}`],
      { env },
    );
    expect(r.status).toBe(1);
    const events = journalEvents(onlyRunDir(ws));
    expect(events.find((e) => e.type === 'run-resumed')).toMatchObject({ mode: 'auto' });
    expect(events.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'aborted' });
    expect(reportOf(onlyRunDir(ws))).toMatchObject({ outcome: 'aborted' });
    const latest = drillbook(
      ['run', '--resume', 'latest', '-f', TRUTH, '--renderer', 'plain', '--var', `dir=${ws.dir}`],
      { env },
    );
    expect(latest.stderr).not.toMatch(/no run/);
    const path = drillbook(['run', '--resume', '../../etc', '-f', TRUTH], { env });
    expect(path.status).toBe(2);
  });
});
