import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { processesMatching } from '../helpers/processes.js';
import { journalEvents, onlyRunDir, reportOf, runFixture, statusOf, workspace } from '../helpers/runs.js';

describe('drillbook run --mode auto (real commands)', () => {
  it('runs every step, captures values for later steps, skips by when, and recovers', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-101', ['--mode', 'auto']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(readFileSync(join(ws.dir, 'used.txt'), 'utf8')).toBe('42 primary hello');
    expect(existsSync(join(ws.dir, 'should-not-exist'))).toBe(false);
    const report = reportOf(onlyRunDir(ws));
    expect(report.outcome).toBe('recovered');
    expect(statusOf(report, 'skipped')).toBe('skipped');
    expect(report.rto.met).toBe(true);
    expect(report.rpo.measuredMs).toBe(2500);
    expect(report.rpo.met).toBe(true);
    expect(report.notifications[0]?.text).toMatch(/^INC-101: \d+ms elapsed, ETA 1m$/);
  });

  it('stops at a failed step (on_failure abort), skips the rest and still runs always steps', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-102', ['--mode', 'auto']);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('FAILED (exit 1): step "fails" failed: exit code 1');
    expect(existsSync(join(ws.dir, 'never'))).toBe(false);
    expect(existsSync(join(ws.dir, 'always'))).toBe(true);
    const report = reportOf(onlyRunDir(ws));
    expect(statusOf(report, 'never')).toBeUndefined();
    expect(statusOf(report, 'cleanup-marker')).toBe('passed');
  });

  it('rolls back in reverse order on on_failure: rollback, then runs always', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-103', ['--mode', 'auto']);
    expect(r.status).toBe(1);
    expect(readFileSync(join(ws.dir, 'log'), 'utf8').trim().split('\n')).toEqual([
      'change-1',
      'breaks',
      'undo-2',
      'undo-1',
      'always',
    ]);
    expect(reportOf(onlyRunDir(ws)).outcome).toBe('rolled-back');
  });

  it('retries a flaky step until it passes', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-104', ['--mode', 'auto']);
    expect(r.status).toBe(0);
    expect(readFileSync(join(ws.dir, 'count'), 'utf8').trim()).toBe('3');
    const report = reportOf(onlyRunDir(ws));
    expect(report.steps.find((s) => s.id === 'flaky')?.attempts).toBe(3);
    const starts = journalEvents(onlyRunDir(ws)).filter((e) => e.type === 'step-started' && e.step === 'flaky');
    expect(starts.map((e) => e.attempt)).toEqual([1, 2, 3]);
  });

  it('kills the whole process group on timeout and leaves no orphan', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-105', ['--mode', 'auto']);
    expect(r.status).toBe(1);
    const step = reportOf(onlyRunDir(ws)).steps.find((s) => s.id === 'hangs');
    expect(step?.status).toBe('timed-out');
    expect(step?.durationMs).toBeLessThan(1000 + 1000);
    expect(processesMatching('31.4159')).toEqual([]);
  });

  it('masks a secret a command echoes in output, journal and report', () => {
    const ws = workspace();
    const secret = 's3cr3t-value-for-test';
    const r = runFixture(ws, 'INC-106', ['--mode', 'auto'], { API_TOKEN: secret });
    expect(r.status).toBe(0);
    const dir = onlyRunDir(ws);
    for (const file of ['journal.jsonl', 'report.json', 'report.md']) {
      const text = readFileSync(join(dir, file), 'utf8');
      expect(text).not.toContain(secret);
    }
    expect(reportOf(dir).steps.find((s) => s.id === 'leak')?.output).toContain('the token is ***');
    expect(r.stdout + r.stderr).not.toContain(secret);
  });

  it('exits 3 when the incident recovers after its RTO', () => {
    const ws = workspace();
    const r = runFixture(ws, 'INC-107', ['--mode', 'auto']);
    expect(r.status).toBe(3);
    const report = reportOf(onlyRunDir(ws));
    expect(report.outcome).toBe('recovered');
    expect(report.rto.met).toBe(false);
    expect(report.rto.measuredMs).toBeGreaterThan(1000);
    expect(report.phases[0]?.overrun).toBe(true);
  });

  it('refuses manual and confirm steps without --yes before anything runs, and records them as approved with it', () => {
    const ws = workspace();
    const refused = runFixture(ws, 'INC-109', ['--mode', 'auto']);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toMatch(
      /look \(manual action\).*promote \(destructive, needs confirmation\).*re-run with --yes/,
    );
    expect(existsSync(join(ws.dir, 'promoted'))).toBe(false);
    expect(existsSync(ws.home)).toBe(false);
    const ws2 = workspace();
    const approved = runFixture(ws2, 'INC-109', ['--mode', 'auto', '--yes']);
    expect(approved.status).toBe(0);
    expect(existsSync(join(ws2.dir, 'promoted'))).toBe(true);
    const report = reportOf(onlyRunDir(ws2));
    expect(report.steps.find((s) => s.id === 'look')?.note).toBe('assumed done: --yes');
    expect(report.steps.find((s) => s.id === 'promote')?.note).toBe('approved by --yes');
  });
});
