import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { ENGINE, journalEvents, onlyRunDir, workspace, type Workspace } from '../helpers/runs.js';

const MARKER = '27.1828';

function startLongRun(ws: Workspace) {
  return spawn(
    process.execPath,
    [BIN, 'run', 'INC-108', '-f', ENGINE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}

/** Resolves once the journal shows the long step started (durably). */
async function untilLongStepStarted(ws: Workspace): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const runs = join(ws.home, 'runs');
    if (existsSync(runs)) {
      try {
        if (journalEvents(onlyRunDir(ws)).some((e) => e.type === 'step-started' && e.step === 'long')) return;
      } catch {
        // not written yet
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('the long step never started');
}

function exited(child: ReturnType<typeof spawn>): Promise<number | null> {
  return new Promise((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
}

afterEach(() => {
  for (const line of processesMatching(MARKER)) {
    const pid = Number(line.split(' ')[0]);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

describe('interrupting a run', () => {
  it('SIGINT stops the step, records it as unknown, skips the rest and exits 130 with the journal complete', async () => {
    const ws = workspace();
    const child = startLongRun(ws);
    await untilLongStepStarted(ws);
    child.kill('SIGINT');
    expect(await exited(child)).toBe(130);
    const events = journalEvents(onlyRunDir(ws));
    const finished = events.find((e) => e.type === 'step-finished' && e.step === 'long') as
      { result: { status: string } } | undefined;
    expect(finished?.result.status).toBe('unknown');
    expect(events.some((e) => e.step === 'after')).toBe(false);
    expect(events[events.length - 1]).toMatchObject({ type: 'run-finished', outcome: 'interrupted', exitCode: 130 });
    expect(processesMatching(MARKER)).toEqual([]);
    expect(JSON.parse(readFileSync(join(onlyRunDir(ws), 'report.json'), 'utf8'))).toMatchObject({
      outcome: 'interrupted',
    });
  });

  it('kill -9 mid-step leaves a journal that parses and shows the step started but not finished', async () => {
    const ws = workspace();
    const child = startLongRun(ws);
    await untilLongStepStarted(ws);
    child.kill('SIGKILL');
    await exited(child);
    const events = journalEvents(onlyRunDir(ws));
    expect(events.some((e) => e.type === 'step-started' && e.step === 'long')).toBe(true);
    expect(events.some((e) => e.type === 'step-finished' && e.step === 'long')).toBe(false);
    expect(events.some((e) => e.type === 'run-finished')).toBe(false);
    expect(events.find((e) => e.type === 'step-finished' && e.step === 'before')).toBeDefined();
  });
});
