import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';

const COMMANDS = ['validate', 'list', 'plan', 'run', 'lab', 'drill', 'render', 'report', 'history'];

describe('help', () => {
  it('lists every command with its description, without loading them', () => {
    const r = drillbook(['--help']);
    expect(r.status).toBe(0);
    for (const name of COMMANDS) expect(r.stdout).toMatch(new RegExp(`^  ${name}\\b.*\\S`, 'm'));
    expect(r.stdout).toContain('run one incident: simulate (nothing executed)');
  });

  it("shows a command's own options, through --help or help COMMAND", () => {
    for (const args of [
      ['run', '--help'],
      ['help', 'run'],
    ]) {
      const r = drillbook(args);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('Usage: drillbook run [options] [incident]');
      expect(r.stdout).toContain('run one incident: simulate (nothing executed)');
      expect(r.stdout).toContain('--resume <run-id>');
    }
  });

  it('suggests the command meant by a typo, exit 2', () => {
    const r = drillbook(['validat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('(Did you mean validate?)');
  });
});
