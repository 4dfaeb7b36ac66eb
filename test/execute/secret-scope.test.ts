import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { onlyRunDir, reportOf, workspace, type Workspace } from '../helpers/runs.js';

const FIXTURE = 'test/fixtures/run/secrets.yaml';
const TOKEN = 'scope-token-7f3a91';
const OTHER = 'other-token-c04e22';

function runScope(ws: Workspace) {
  return drillbook(
    ['run', 'INC-301', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
    {
      env: { DRILLBOOK_HOME: ws.home, DRILL_TOKEN: TOKEN, OTHER_TOKEN: OTHER },
    },
  );
}

const seen = (ws: Workspace, file: string) => readFileSync(join(ws.dir, file), 'utf8');

describe('a secret reaches only the steps whose env: gives it', () => {
  const ws = workspace();
  const r = runScope(ws);

  it('runs the whole incident', () => {
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(reportOf(onlyRunDir(ws)).outcome).toBe('recovered');
  });

  it('withholds every secret from argument-list and shell steps not given it', () => {
    expect(seen(ws, 'argv.txt')).toBe('unset unset');
    expect(seen(ws, 'shell.txt')).toBe('unset unset');
  });

  it('passes the secret to a step whose env: gives it, and only that secret', () => {
    expect(seen(ws, 'given.txt')).toBe(`${TOKEN} unset`);
    expect(seen(ws, 'renamed.txt')).toBe(`${TOKEN} unset`);
  });

  it('withholds it from command checks, shell command checks, verify checks and the recovered condition', () => {
    expect(seen(ws, 'check.txt')).toBe('unset');
    expect(seen(ws, 'shell-check.txt')).toBe('unset');
    expect(seen(ws, 'verify.txt')).toBe('unset');
    expect(seen(ws, 'recovered.txt')).toBe('unset');
    expect(seen(ws, 'check-given.txt')).toBe(TOKEN);
  });

  it('withholds it from always steps', () => {
    expect(seen(ws, 'always.txt')).toBe('unset');
  });
});
