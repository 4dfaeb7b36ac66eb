import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { ENGINE, onlyRunDir, reportOf, workspace } from '../helpers/runs.js';

const TRAP = 'test/helpers/no-io-trap.mjs';
const COMMS = 'test/fixtures/run/comms.yaml';
const BACKUPS = 'test/fixtures/run/backups.yaml';
const SHIPPED = ['INC-001', 'INC-002', 'INC-003', 'INC-004', 'INC-005', 'INC-006'];

/** Runs the CLI with child_process and net trapped: any spawn or connect is reported as TRAP. */
function trapped(args: string[], home: string, env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, ['--import', `./${TRAP}`, BIN, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, DRILLBOOK_HOME: home, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Every incident of every runbook in playbooks/ (the shipped one and the three from the other seeds). */
function everyIncident(): [string, string][] {
  return readdirSync(`${ROOT}/playbooks`)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .flatMap((f) => {
      const r = spawnSync(process.execPath, [BIN, 'list', '-f', `playbooks/${f}`, '--json'], {
        cwd: ROOT,
        encoding: 'utf8',
      });
      return (JSON.parse(r.stdout) as { id: string }[]).map((i): [string, string] => [`playbooks/${f}`, i.id]);
    });
}

describe('drillbook run --mode simulate', () => {
  it.each(everyIncident())('%s %s simulates with exit 0, spawning nothing and connecting nowhere', (file, id) => {
    const ws = workspace();
    const r = trapped(['run', id, '-f', file, '--mode', 'simulate', '--renderer', 'plain'], ws.home);
    expect(r.stderr).not.toContain('TRAP');
    expect(r.status).toBe(0);
    expect(reportOf(onlyRunDir(ws)).outcome).toBe('simulated');
  });

  it.each(SHIPPED)('simulates %s of the shipped runbook with exit 0, spawning nothing and connecting nowhere', (id) => {
    const ws = workspace();
    const r = trapped(['run', id, '--mode', 'simulate', '--env', 'production', '--renderer', 'plain'], ws.home);
    expect(r.stderr).not.toContain('TRAP');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Projected timeline\n[\s\S]*^Verdict: SIMULATED in ~\S+ projected — within target/m);
    const report = reportOf(onlyRunDir(ws));
    expect(report.outcome).toBe('simulated');
    expect(report.steps.length).toBeGreaterThan(0);
    expect(report.steps.every((s) => s.status === 'simulated' || s.status === 'skipped')).toBe(true);
    expect(report.rto.projectedMs).toBeLessThanOrEqual(report.rto.targetMs);
  });

  it('the trap itself works: an auto run under it is caught spawning, and a postgres check importing pg', () => {
    const ws = workspace();
    const r = trapped(
      ['run', 'INC-102', '-f', ENGINE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
      ws.home,
    );
    // A step that throws is that step's failure (journaled, always steps still run), so the trap's words are in the run's output.
    expect(`${r.stdout}${r.stderr}`).toContain('TRAP: child_process.spawn');
    const pgRun = trapped(
      ['run', 'INC-201', '-f', 'test/fixtures/run/checks.yaml', '--mode', 'auto', '--renderer', 'plain'],
      ws.home,
    );
    expect(`${pgRun.stdout}${pgRun.stderr}`).toContain('TRAP: import of pg');
  });

  it('projects when each escalation level and status update would fire, and sends nothing (no fetch, no SMTP)', () => {
    const ws = workspace();
    const env = { HOOK_URL: 'http://127.0.0.1:31999/hook', SMTP_PASSWORD: 'pw-sim-1', API_TOKEN: 'tok-sim-1' };
    const r = trapped(['run', 'INC-201', '-f', COMMS, '--mode', 'simulate', '--renderer', 'plain'], ws.home, env);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      '[T+1s] ESCALATION Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders (projected) → chat, ops-mail',
    );
    expect(r.stdout).toMatch(/^T\+2s +Level 3: the CTO decides +chat +projected: nothing sent$/m);
    const report = reportOf(onlyRunDir(ws));
    expect(report.communications.escalations.map((e) => [e.level, e.atMs, e.projected])).toEqual([
      [1, 0, true],
      [2, 1000, true],
      [3, 2000, true],
    ]);
    expect(report.communications.deliveries).toEqual([]);
    // A cadence is projected too: every 1s of the projected ~30s step.
    const cadence = trapped(['run', 'INC-202', '-f', COMMS, '--mode', 'simulate', '--renderer', 'plain'], ws.home, env);
    expect(cadence.stderr).toBe('');
    expect(cadence.stdout).toContain('[T+3s] status update 3 due (projected)');
    // The trap catches a real run's email: nodemailer is never loaded by a simulation, and is by an auto run.
    const auto = trapped(['run', 'INC-203', '-f', COMMS, '--mode', 'auto', '--renderer', 'plain'], ws.home, env);
    expect(`${auto.stdout}${auto.stderr}`).toContain('TRAP: import of nodemailer');
  });

  it('with a store configured (DRILLBOOK_STORE, --store), a simulation still connects nowhere and loads no client', () => {
    const ws = workspace();
    const store = 'postgres://drillbook:pw@127.0.0.1:5432/drillbook_store';
    const r = trapped(['run', 'INC-003', '--mode', 'simulate', '--env', 'production', '--renderer', 'plain'], ws.home, {
      DRILLBOOK_STORE: store,
    });
    expect(r.stderr).not.toContain('TRAP');
    expect(r.status).toBe(0);
    const flagged = trapped(['run', 'INC-101', '-f', ENGINE, '--mode', 'simulate', '--store', store], ws.home);
    expect(flagged.stderr).not.toContain('TRAP');
    expect(flagged.status).toBe(0);
  });

  it("as the service's worker starts it (DRILLBOOK_RUN_ID, --yes --json), a simulation spawns nothing, under the id it was given", () => {
    const ws = workspace();
    const id = '20261205-081500-INC-101-0a1b2c3d';
    const args = ['run', 'INC-101', '-f', ENGINE, '--mode', 'simulate', '--yes', '--json'];
    const r = trapped(args, ws.home, { DRILLBOOK_RUN_ID: id });
    expect(r.stderr).not.toContain('TRAP');
    expect(r.status).toBe(0);
    expect(readdirSync(join(ws.home, 'runs'))).toEqual([id]);
    expect((JSON.parse(r.stdout) as { runId: string }).runId).toBe(id);
    const again = trapped(args, ws.home, { DRILLBOOK_RUN_ID: id });
    expect(again.status).toBe(2);
    expect(again.stderr).toContain(`drillbook: DRILLBOOK_RUN_ID "${id}" is already a run in`);
    const other = trapped(args, ws.home, { DRILLBOOK_RUN_ID: '20261205-081500-INC-999-0a1b2c3d' });
    expect(other.status).toBe(2);
    expect(other.stderr).toBe(
      'drillbook: DRILLBOOK_RUN_ID "20261205-081500-INC-999-0a1b2c3d" is not a run id of INC-101 (YYYYMMDD-HHMMSS-INC-101-xxxxxxxx)\n',
    );
  });

  it('projects a timeline from estimates and flags an over-budget phase', () => {
    const ws = workspace();
    const r = trapped(['run', 'INC-107', '-f', ENGINE, '--mode', 'simulate', '--renderer', 'plain'], ws.home);
    // INC-107's one step has no estimate: the 30s default for a run step is over its 1s budget.
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('OVER BUDGET');
    const report = reportOf(onlyRunDir(ws));
    expect(report.phases[0]?.overrun).toBe(true);
    expect(report.rto.projectedMs).toBe(30_000);
  });

  it.each(['INC-301', 'INC-302', 'INC-303'])(
    'describes the backup checks of %s without reading the backups, listing the bucket or connecting',
    (id) => {
      const ws = workspace();
      const backups = join(ws.dir, 'backups');
      mkdirSync(join(backups, 'daily'), { recursive: true });
      writeFileSync(join(backups, 'daily', 'backup_20251227_010000.dump.gz'), 'dump');
      const args = ['run', id, '-f', BACKUPS, '--var', `dir=${backups}`, '--renderer', 'plain'];
      const r = trapped([...args, '--mode', 'simulate'], ws.home, { NO_IO_TRAP_FS: backups });
      expect(r.stderr).not.toContain('TRAP');
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(
        /would test: (newest file matching|backup retention of files matching|S3 backup retention under)/,
      );
    },
  );

  it.each(['INC-301', 'INC-302'])('the folder trap works: an auto run of %s is caught reading the backups', (id) => {
    const ws = workspace();
    const backups = join(ws.dir, 'backups');
    mkdirSync(join(backups, 'daily'), { recursive: true });
    const args = ['run', id, '-f', BACKUPS, '--var', `dir=${backups}`, '--renderer', 'plain', '--mode', 'auto'];
    const r = trapped(args, ws.home, { NO_IO_TRAP_FS: backups });
    expect(`${r.stdout}${r.stderr}`).toContain(`TRAP: fs.promises.readdir(${backups}`);
  });

  it('--inject-failure shows the rollback path without executing anything', () => {
    const ws = workspace();
    const r = trapped(
      [
        'run',
        'INC-103',
        '-f',
        ENGINE,
        '--mode',
        'simulate',
        '--inject-failure',
        'breaks',
        '--renderer',
        'plain',
        '--json',
      ],
      ws.home,
    );
    expect(r.stderr).not.toContain('TRAP');
    expect(r.status).toBe(1);
    const report = JSON.parse(r.stdout) as ReturnType<typeof reportOf>;
    expect(report.outcome).toBe('rolled-back');
    expect(report.steps.map((s) => `${s.id}:${s.status}`)).toEqual([
      'first-change:simulated',
      'breaks:failed',
      'undo-second:simulated',
      'undo-first:simulated',
      'always-log:simulated',
    ]);
  });

  it('refuses --inject-failure of a step the incident does not have', () => {
    const ws = workspace();
    const r = trapped(['run', 'INC-103', '-f', ENGINE, '--inject-failure', 'nope'], ws.home);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('--inject-failure: INC-103 has no step "nope"');
  });
});
