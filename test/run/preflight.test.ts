import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook, ROOT } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, workspace } from '../helpers/runs.js';

const TRUTH = 'test/fixtures/run/truth.yaml';

describe('preflight: nothing runs when a problem is knowable at the start', () => {
  it('an unset secret (in env: or as a check password) is named, exit 2, nothing executed', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-202', '-f', TRUTH, '--mode', 'auto', '--var', `dir=${ws.dir}`], {
      env: { DRILLBOOK_HOME: ws.home, TRUTH_TOKEN: undefined, TRUTH_PG_PASSWORD: undefined },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('TRUTH_TOKEN');
    expect(r.stderr).toContain('TRUTH_PG_PASSWORD');
    expect(r.stderr).toMatch(/uses-token/);
    expect(r.stderr.trim().split('\n')[0]).toMatch(/^drillbook: /);
    expect(existsSync(join(ws.dir, 'first'))).toBe(false);
    expect(existsSync(ws.home)).toBe(false);
  });

  it('with the secrets set, the step that is given the token sees it and the check connects', () => {
    const ws = workspace();
    const r = drillbook(
      ['run', 'INC-202', '-f', TRUTH, '--mode', 'auto', '--renderer', 'plain', '--var', `dir=${ws.dir}`],
      { env: { DRILLBOOK_HOME: ws.home, TRUTH_TOKEN: 'tok-1234', TRUTH_PG_PASSWORD: 'pw-anything' } },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(existsSync(join(ws.dir, 'token-seen'))).toBe(true);
  });

  it('an unset channel secret (webhook URL, SMTP password, a secret in an escalation message) is named before the run', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-201', '-f', 'test/fixtures/run/comms.yaml', '--mode', 'auto'], {
      env: { DRILLBOOK_HOME: ws.home, HOOK_URL: undefined, SMTP_PASSWORD: undefined, API_TOKEN: undefined },
    });
    expect(r.status).toBe(2);
    expect(r.stderr.trim()).toBe(
      'drillbook: secrets not set in the environment: HOOK_URL (channel chat), SMTP_PASSWORD (the smtp server), API_TOKEN (escalation); export them before the run (nothing was run)',
    );
    expect(existsSync(ws.home)).toBe(false);
  });

  it('simulate needs no secrets', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-202', '-f', TRUTH, '--mode', 'simulate', '--renderer', 'plain'], {
      env: { DRILLBOOK_HOME: ws.home, TRUTH_TOKEN: undefined, TRUTH_PG_PASSWORD: undefined },
    });
    expect(r.status).toBe(0);
  });

  it('--from past a step that captures a value needs that value: named with its step, or given with --var', () => {
    const ws = workspace();
    const r = drillbook(
      ['run', 'INC-203', '-f', TRUTH, '--mode', 'auto', '--from', 'consume', '--var', `dir=${ws.dir}`],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/"got".*"produce".*--var got=/);
    expect(existsSync(ws.home)).toBe(false);
    const ok = drillbook(
      [
        'run',
        'INC-203',
        '-f',
        TRUTH,
        '--mode',
        'auto',
        '--renderer',
        'plain',
        '--from',
        'consume',
        '--var',
        `dir=${ws.dir}`,
        '--var',
        'got=9',
      ],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(ok.status).toBe(0);
    expect(existsSync(join(ws.dir, 'got-9'))).toBe(true);
  });

  it('auto without --yes lists the gates and manual steps up front and runs nothing', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-204', '-f', TRUTH, '--mode', 'auto', '--var', `dir=${ws.dir}`], {
      env: { DRILLBOOK_HOME: ws.home },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/gate.*destructive/);
    expect(r.stderr).toMatch(/by-hand.*manual/);
    expect(r.stderr).toContain('--yes');
    expect(existsSync(join(ws.dir, 'acted'))).toBe(false);
    expect(existsSync(ws.home)).toBe(false);
    const yes = drillbook(
      ['run', 'INC-204', '-f', TRUTH, '--mode', 'auto', '--yes', '--renderer', 'plain', '--var', `dir=${ws.dir}`],
      { env: { DRILLBOOK_HOME: ws.home, USER: 'dave' } },
    );
    expect(yes.status).toBe(0);
    expect(existsSync(join(ws.dir, 'gated'))).toBe(true);
    const decisions = journalEvents(onlyRunDir(ws)).filter((e) => e.type === 'decision');
    expect(decisions).toContainEqual(expect.objectContaining({ step: 'gate', by: 'dave' }));
  });
});

describe('a missing runbook is a usage error that says where it looked', () => {
  it('validate with nothing to validate exits 2 and names the folder', () => {
    const empty = mkdtempSync(join(tmpdir(), 'drillbook-empty-'));
    const r = drillbook(['validate'], { cwd: empty, env: { DRILLBOOK_FILE: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(join(empty, 'playbooks'));
  });

  it('plan without -f in the wrong folder names -f and $DRILLBOOK_FILE', () => {
    const empty = mkdtempSync(join(tmpdir(), 'drillbook-empty-'));
    const r = drillbook(['plan', 'INC-003'], { cwd: empty, env: { DRILLBOOK_FILE: '' } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('-f');
    expect(r.stderr).toContain('DRILLBOOK_FILE');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(ROOT).toBeTruthy();
  });
});
