import { appendFileSync, copyFileSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT, drillbook } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { journalEvents, onlyRunDir, reportOf, workspace, type Workspace } from '../helpers/runs.js';
import { Terminal } from '../helpers/terminal.js';

const FIXTURE = 'test/fixtures/run/interactive.yaml';
let term: Terminal | undefined;

afterEach(() => {
  term?.close();
  term = undefined;
  for (const line of processesMatching('23.4567')) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function start(ws: Workspace, args: string, file = FIXTURE): Terminal {
  term = Terminal.start(`cd ${ROOT} && node ${BIN} run ${args} -f ${file} --mode interactive --var dir=${ws.dir}`, {
    DRILLBOOK_HOME: ws.home,
    USER: 'alice',
  });
  return term;
}

const PROMPT = '↑↓';

describe('interactive mode in a pseudo-terminal', () => {
  it('runs, records a manual step with a note, retries after failure, skips with a reason, gates a destructive step', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-301');
    await t.waitAfter('[record-start', PROMPT);
    expect(t.screen()).toContain('why: The log proves what ran');
    expect(t.screen()).toMatch(/clock: phase \d+ms \/ budget 2m · incident \d+ms of RTO 10m/);
    t.send('Enter');
    await t.waitAfter('[dashboard', PROMPT);
    t.send('Enter');
    await t.waitAfter('[dashboard', 'Note (optional):');
    await t.answer('checked grafana');
    await t.waitAfter('[flaky', PROMPT);
    t.send('Enter');
    await t.waitAfter('The step failed', PROMPT);
    t.send('Enter'); // Retry it
    await t.waitAfter('[optional', PROMPT);
    t.send('Down', 'Down', 'Enter'); // Skip
    await t.waitAfter('[optional', 'Why skip it?');
    await t.answer('not needed tonight');
    await t.waitAfter('[promote', PROMPT);
    t.send('Enter');
    await t.waitAfter('[promote', 'Type its id (promote)');
    await t.answer('promte');
    await t.waitAfter('not confirmed; nothing was run', PROMPT);
    t.send('Enter');
    await t.waitAfter('not confirmed; nothing was run', 'Type its id (promote)');
    await t.answer('promote');
    await t.waitAfter('[tell', PROMPT);
    t.send('Enter');
    expect(await t.exitCode()).toBe(0);
    expect(t.screen()).toMatch(/status update \(copy into chat\)[\s\S]*INC-301 update: \d+(\.\d)?s elapsed, ETA/);

    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim()).toBe('started');
    expect(readFileSync(join(ws.dir, 'count'), 'utf8').trim()).toBe('2');
    const dir = onlyRunDir(ws);
    const report = reportOf(dir);
    expect(report.outcome).toBe('recovered');
    expect(report.steps.find((s) => s.id === 'dashboard')?.note).toBe('confirmed by alice: checked grafana');
    expect(report.steps.find((s) => s.id === 'optional')).toMatchObject({
      status: 'skipped',
      note: 'not needed tonight',
    });
    expect(report.steps.find((s) => s.id === 'promote')?.note).toBe('confirmed by alice (typed the step id)');
    const decisions = journalEvents(dir).filter((e) => e.type === 'decision');
    expect(decisions).toContainEqual(expect.objectContaining({ step: 'flaky', choice: 'retry', by: 'alice' }));
    expect(decisions).toContainEqual(
      expect.objectContaining({ step: 'optional', choice: 'skip', by: 'alice', note: 'not needed tonight' }),
    );
    expect(decisions.every((d) => typeof d.at === 'string')).toBe(true);
  });

  it('starts the rollback when the responder chooses it after a failure', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-302');
    await t.waitAfter('[change', PROMPT);
    t.send('Enter');
    await t.waitAfter('[breaks', PROMPT);
    t.send('Enter');
    await t.waitAfter('The step failed', PROMPT);
    t.send('Down', 'Down', 'Enter'); // Start the rollback
    await t.waitAfter('[undo-change', PROMPT);
    t.send('Enter');
    expect(await t.exitCode()).toBe(1);
    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim().split('\n')).toEqual(['change', 'undo']);
    expect(reportOf(onlyRunDir(ws)).outcome).toBe('rolled-back');
  });

  it('Ctrl-C during a command stops its process group, exits 130, and resume asks about the unknown step', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-302');
    await t.waitAfter('[change', PROMPT);
    t.send('Enter');
    await t.waitAfter('[breaks', PROMPT);
    t.send('Enter');
    await t.waitAfter('The step failed', PROMPT);
    t.send('Down', 'Enter'); // Continue
    await t.waitAfter('[long', PROMPT);
    t.send('Enter');
    await t.waitFor('> long');
    t.send('C-c');
    expect(await t.exitCode()).toBe(130);
    expect(processesMatching('23.4567')).toEqual([]);
    const dir = onlyRunDir(ws);
    const runId = dir.split('/').pop() ?? '';
    expect(journalEvents(dir).at(-1)).toMatchObject({ type: 'run-finished', outcome: 'interrupted' });
    t.close();

    const r = start(ws, `--resume ${runId}`);
    await r.waitAfter('OUTCOME UNKNOWN', PROMPT);
    r.send('Enter'); // It completed: record as passed
    expect(await r.exitCode()).toBe(0);
    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim().split('\n')).toEqual(['change']);
    const report = reportOf(dir);
    expect(report.outcome).toBe('recovered');
    expect(report.steps.find((s) => s.id === 'long')?.note).toBe('outcome unknown; recorded passed by alice');
  });

  it('Ctrl-C at a prompt exits 130; the next run offers to resume and does not redo finished steps', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-301');
    await t.waitAfter('[record-start', PROMPT);
    t.send('Enter');
    await t.waitAfter('[dashboard', PROMPT);
    t.send('C-c');
    expect(await t.exitCode()).toBe(130);
    t.close();
    const again = start(ws, 'INC-301');
    await again.waitFor('Start a fresh run');
    expect(again.screen()).toMatch(/Run \S+ of INC-301 stopped \S+ ago with 1 step done/);
    again.send('Enter'); // Resume: a recent run, nothing finished since
    await again.waitAfter('[dashboard', PROMPT);
    again.send('C-c');
    expect(await again.exitCode()).toBe(130);
    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim()).toBe('started');
    expect(journalEvents(onlyRunDir(ws)).filter((e) => e.type === 'run-resumed')).toHaveLength(1);
  });

  it('"Run it again" after an unknown outcome goes through the destructive gate, and the choice is a journaled decision', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-303');
    await t.waitAfter('[danger', PROMPT);
    t.send('Enter');
    await t.waitAfter('[danger', 'Type its id (danger)');
    await t.answer('danger');
    await t.waitFor('> danger');
    // Interrupt it only once it has done its first part (under load the shell may not have got there yet).
    for (let i = 0; i < 200 && !existsSync(join(ws.dir, 'once')); i++) await new Promise((r) => setTimeout(r, 50));
    t.send('C-c');
    expect(await t.exitCode()).toBe(130);
    t.close();
    const runId = onlyRunDir(ws).split('/').pop() ?? '';
    const r = start(ws, `--resume ${runId.slice(0, 22)}`);
    await r.waitAfter('OUTCOME UNKNOWN', PROMPT);
    r.send('Down', 'Down', 'Enter'); // Run it again
    await r.waitAfter('Run it again', PROMPT);
    r.send('Enter'); // Run it now
    await r.waitAfter('Run it again', 'Type its id (danger)');
    await r.answer('danger');
    await r.waitAfter('[after', PROMPT);
    r.send('Enter');
    expect(await r.exitCode()).toBe(0);
    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim().split('\n')).toEqual(['again', 'after']);
    const decisions = journalEvents(onlyRunDir(ws)).filter((e) => e.type === 'decision' && e.step === 'danger');
    expect(decisions.at(-1)).toMatchObject({ choice: 'run', by: 'alice' });
    expect(String(decisions.at(-1)?.note)).toMatch(
      /re-run by alice after an unknown outcome; confirmed by alice \(typed the step id\)/,
    );
  });

  it('offers a stale stopped run with "start fresh" as the default, showing its age', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-301');
    await t.waitAfter('[record-start', PROMPT);
    t.send('C-c');
    expect(await t.exitCode()).toBe(130);
    t.close();
    // Make the stopped run five hours old.
    const file = join(onlyRunDir(ws), 'journal.jsonl');
    const aged = readFileSync(file, 'utf8')
      .trim()
      .split('\n')
      .map((l) => {
        const e = JSON.parse(l) as { at: string };
        return JSON.stringify({ ...e, at: new Date(Date.parse(e.at) - 5 * 3600_000).toISOString() });
      });
    writeFileSync(file, `${aged.join('\n')}\n`);
    const again = start(ws, 'INC-301');
    await again.waitFor('Start a fresh run');
    expect(again.screen()).toMatch(/stopped 5h\S* ago/);
    again.send('Enter'); // the default: a fresh run
    await again.waitAfter('[record-start', PROMPT);
    again.send('C-c');
    expect(await again.exitCode()).toBe(130);
    expect(readdirSync(join(ws.home, 'runs'))).toHaveLength(2);
  });

  it('refuses to resume after the runbook changed', async () => {
    const ws = workspace();
    const copy = join(ws.dir, 'runbook.yaml');
    copyFileSync(FIXTURE, copy);
    const t = start(ws, 'INC-301', copy);
    await t.waitAfter('[record-start', PROMPT);
    t.send('C-c');
    expect(await t.exitCode()).toBe(130);
    appendFileSync(copy, '# edited after the run began\n');
    const runId = onlyRunDir(ws).split('/').pop() ?? '';
    const r = drillbook(['run', '--resume', runId, '-f', copy, '--mode', 'interactive', '--var', `dir=${ws.dir}`], {
      env: { DRILLBOOK_HOME: ws.home },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`the runbook changed since run ${runId} began`);
  });

  it('fails closed without a terminal: nothing runs, nothing is approved', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-301', '-f', FIXTURE, '--mode', 'interactive', '--var', `dir=${ws.dir}`], {
      env: { DRILLBOOK_HOME: ws.home },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('interactive mode needs a person at a terminal');
    expect(() => onlyRunDir(ws)).toThrow();
  });
});
