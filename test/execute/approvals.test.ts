import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT, drillbook } from '../helpers/cli.js';
import { Terminal } from '../helpers/terminal.js';
import { journalEvents, workspace, type Workspace } from '../helpers/runs.js';
import { runInBackground, until } from '../helpers/store.js';

const FILE = 'test/fixtures/run/approvals.yaml';

/** `drillbook run` as carol, in the background: the approver decides from another process meanwhile. */
function startRun(ws: Workspace, incident: string, extra: string[] = []) {
  return runInBackground(['run', incident, '-f', FILE, '--var', `dir=${ws.dir}`, '--renderer', 'plain', ...extra], {
    DRILLBOOK_HOME: ws.home,
    USER: 'carol',
    DRILLBOOK_STORE: '',
  });
}

function approve(ws: Workspace, args: string[], user = 'nobody') {
  return drillbook(['approve', ...args], { env: { DRILLBOOK_HOME: ws.home, USER: user, DRILLBOOK_STORE: '' } });
}

function runDir(ws: Workspace): string {
  return join(ws.home, 'runs', readdirSync(join(ws.home, 'runs'))[0] ?? '');
}

/** The journal's events so far (a line being written is left for the next look). */
function eventsSoFar(dir: string): Record<string, unknown>[] {
  try {
    return journalEvents(dir);
  } catch {
    return [];
  }
}

function typed(dir: string, type: string): Record<string, unknown>[] {
  return eventsSoFar(dir).filter((e) => e.type === type);
}

async function requested(ws: Workspace, count = 1): Promise<{ dir: string; id: string }> {
  await until(
    () => existsSync(join(ws.home, 'runs')) && typed(runDir(ws), 'approval-requested').length >= count,
    'the run to ask for approval',
  );
  const dir = runDir(ws);
  return { dir, id: dir.split('/').at(-1) ?? '' };
}

describe('two-person approvals on the command line', () => {
  it('waits for a second person: the starter and a name not listed are refused, an approver grants it', async () => {
    const ws = workspace();
    const run = startRun(ws, 'INC-501', ['--mode', 'auto', '--yes']);
    const { dir, id } = await requested(ws);
    expect(existsSync(join(ws.dir, 'promoted'))).toBe(false);

    const own = approve(ws, [id, 'promote-replica'], 'carol');
    expect(own.status).toBe(1);
    expect(own.stderr).toBe(
      'drillbook: carol started this run and cannot approve its own step "promote-replica": a second person must decide\n',
    );
    const stranger = approve(ws, [id, 'promote-replica', '--as', 'frank']);
    expect(stranger.status).toBe(1);
    expect(stranger.stderr).toBe('drillbook: frank may not decide step "promote-replica": only dana, erin may\n');
    const unknownStep = approve(ws, [id, 'before', '--as', 'dana']);
    expect(unknownStep.stderr).toBe('drillbook: this run has asked for no approval of step "before"\n');

    const granted = approve(ws, [id, 'promote-replica', '--as', 'dana', '--comment', 'lag is 0']);
    expect(granted.stderr).toBe('');
    expect(granted.stdout).toBe(`step promote-replica of run ${id} granted by dana\n`);
    const done = await run.done;
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('waiting for approval of promote-replica by dana or erin (not carol)');
    expect(done.stdout).toContain('approval of promote-replica granted by dana: lag is 0');
    expect(existsSync(join(ws.dir, 'promoted'))).toBe(true);

    const [ask] = typed(dir, 'approval-requested');
    expect(ask).toMatchObject({
      step: 'promote-replica',
      runId: id,
      approvers: ['dana', 'erin'],
      requestedBy: 'carol',
      why: 'Promotion splits the cluster; a second engineer checks the replica lag first',
    });
    // The deadline is the approval's timeout (2m) after the request, which the journal line follows closely.
    const wait = Date.parse(String(ask?.deadline)) - Date.parse(String(ask?.at));
    expect(wait).toBeGreaterThan(110_000);
    expect(wait).toBeLessThanOrEqual(120_000);
    expect(typed(dir, 'approval-granted')).toMatchObject([
      { step: 'promote-replica', requestId: ask?.requestId, by: 'dana', comment: 'lag is 0' },
    ]);
    // The report a reviewer files says who asked, who approved and why.
    const report = readFileSync(join(dir, 'report.md'), 'utf8');
    expect(report).toContain(
      'carol: promote-replica → approval requested (dana or erin until ' + String(ask?.deadline) + ': Promotion splits',
    );
    expect(report).toMatch(/Z dana: promote-replica → approval granted \(lag is 0\)/);
    // The decision is final: a second one is refused.
    const again = approve(ws, [id, 'promote-replica', '--as', 'erin']);
    expect(again.status).toBe(1);
    expect(again.stderr).toBe('drillbook: the approval of step "promote-replica" is granted, not pending\n');
  });

  it('a denial aborts the run before the step, with who denied it and why', async () => {
    const ws = workspace();
    const run = startRun(ws, 'INC-501', ['--mode', 'auto', '--yes', '--json']);
    const { dir, id } = await requested(ws);
    expect(approve(ws, [id, 'promote-replica', '--deny', '--comment', 'lag is 40s'], 'erin').status).toBe(0);
    const done = await run.done;
    expect(done.status).toBe(1);
    const report = JSON.parse(done.stdout) as { outcome: string; reason?: string; steps: { id: string }[] };
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('step "promote-replica" was denied approval by erin: lag is 40s');
    expect(typed(dir, 'approval-denied')).toMatchObject([{ by: 'erin', comment: 'lag is 40s' }]);
    expect(typed(dir, 'step-started').map((e) => e.step)).toEqual(['before']);
    expect(existsSync(join(ws.dir, 'promoted'))).toBe(false);
  });

  it('nobody deciding in time aborts the run; --yes never grants', async () => {
    const ws = workspace();
    const done = await startRun(ws, 'INC-502', ['--mode', 'auto', '--yes', '--json']).done;
    expect(done.status).toBe(1);
    const report = JSON.parse(done.stdout) as { outcome: string; reason?: string };
    expect(report.outcome).toBe('aborted');
    expect(report.reason).toBe('step "wipe" was not approved within 2s: nobody decided before the deadline');
    const dir = runDir(ws);
    expect(typed(dir, 'approval-timed-out')).toHaveLength(1);
    expect(typed(dir, 'step-started')).toEqual([]);
    expect(existsSync(join(ws.dir, 'wiped'))).toBe(false);
    const late = approve(ws, [dir.split('/').at(-1) ?? '', 'wipe', '--as', 'dana']);
    expect(late.status).toBe(1);
    expect(late.stderr).toBe('drillbook: the approval of step "wipe" is timed-out, not pending\n');
  });

  it('a simulation asks nobody and says who would have to approve', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-501', '-f', FILE, '--var', `dir=${ws.dir}`, '--json'], {
      env: { DRILLBOOK_HOME: ws.home, USER: 'carol' },
    });
    expect(r.status).toBe(0);
    const dir = runDir(ws);
    expect(eventsSoFar(dir).filter((e) => String(e.type).startsWith('approval-'))).toEqual([]);
    expect(existsSync(join(dir, 'approvals'))).toBe(false);
    const report = JSON.parse(r.stdout) as { steps: { id: string; status: string; note?: string }[] };
    expect(report.steps.find((s) => s.id === 'promote-replica')).toMatchObject({
      status: 'simulated',
      note:
        'would run: touch ' +
        ws.dir +
        "/promoted (needs approval by dana or erin within 2m, not by the run's starter: not asked in a simulation)",
    });
  });

  it('a run stopped while waiting withdraws its request, and its resume asks again', async () => {
    const ws = workspace();
    const first = startRun(ws, 'INC-501', ['--mode', 'auto', '--yes']);
    const { dir, id } = await requested(ws);
    first.kill('SIGINT');
    expect((await first.done).status).toBe(130);
    const [old] = typed(dir, 'approval-requested');
    const withdrawn = JSON.parse(readFileSync(join(dir, 'approvals', `${String(old?.requestId)}.json`), 'utf8')) as {
      status: string;
    };
    expect(withdrawn.status).toBe('withdrawn');
    expect(approve(ws, [id, 'promote-replica', '--as', 'dana']).stderr).toBe(
      'drillbook: the approval of step "promote-replica" is withdrawn, not pending\n',
    );

    const resumed = startRun(ws, 'INC-501', ['--resume', id, '--mode', 'auto', '--yes']);
    await requested(ws, 2);
    const asks = typed(dir, 'approval-requested');
    expect(asks[1]?.requestId).not.toBe(asks[0]?.requestId);
    expect(approve(ws, [id, 'promote-replica', '--as', 'erin']).status).toBe(0);
    expect((await resumed.done).status).toBe(0);
    expect(existsSync(join(ws.dir, 'promoted'))).toBe(true);
  });

  it('interactive: the card says who must approve; after "run" the run waits, and an approval runs the step', async () => {
    const ws = workspace();
    const t = Terminal.start(
      `cd ${ROOT} && node ${BIN} run INC-501 -f ${FILE} --mode interactive --var dir=${ws.dir}`,
      { DRILLBOOK_HOME: ws.home, USER: 'carol', DRILLBOOK_STORE: '' },
    );
    try {
      await t.waitAfter('[before', '↑↓');
      t.send('Enter');
      await t.waitAfter('[promote-replica', '↑↓');
      expect(t.screen()).toContain(
        "needs approval by dana or erin within 2m, not by the run's starter: the run waits for it after you choose to run",
      );
      t.send('Enter');
      await t.waitAfter('[promote-replica', 'Type its id (promote-replica)');
      await t.answer('promote-replica');
      await t.waitFor('waiting for approval of promote-replica by dana or erin (not carol)');
      expect(existsSync(join(ws.dir, 'promoted'))).toBe(false);
      const { id } = await requested(ws);
      expect(approve(ws, [id, 'promote-replica', '--as', 'erin']).status).toBe(0);
      await t.waitAfter('[after', '↑↓');
      expect(t.screen()).toContain('approval of promote-replica granted by erin');
      t.send('Enter');
      expect(await t.exitCode()).toBe(0);
      expect(existsSync(join(ws.dir, 'promoted'))).toBe(true);
    } finally {
      t.close();
    }
  }, 90_000);

  it('the rendered checklist and runbook say who must approve', () => {
    const ws = workspace();
    const out = join(ws.dir, 'docs');
    expect(drillbook(['render', '-f', FILE, '--out', out]).status).toBe(0);
    const need = "needs approval by dana or erin within 2m, not by the run's starter";
    expect(readFileSync(join(out, 'checklists.md'), 'utf8')).toContain(`Promote the replica (${need})`);
    expect(readFileSync(join(out, 'runbook.md'), 'utf8')).toContain(`**${need}**`);
    expect(readFileSync(join(out, 'tabletop-INC-501.md'), 'utf8')).toContain(
      `Promote the replica (**destructive**: ${need})`,
    );
  });
});
