import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';

const COMMANDS = [
  'validate',
  'list',
  'plan',
  'run',
  'lab',
  'drill',
  'render',
  'report',
  'history',
  'runs',
  'sync',
  'store',
  'serve',
  'worker',
  'token',
];

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

  it('the store: --store on every command that reads or writes it, runs with its filters, store migrate', () => {
    for (const command of ['run', 'report', 'history', 'runs', 'sync']) {
      const r = drillbook([command, '--help']);
      expect(r.status).toBe(0);
      expect(r.stdout).toMatch(/--store <url>\s+\S/);
      expect(r.stdout).toContain('$DRILLBOOK_STORE');
    }
    const runs = drillbook(['runs', '--help']).stdout;
    for (const flag of [
      '--incident <id>',
      '--runbook <name>',
      '--mode <mode>',
      '--outcome <outcome>',
      '--since <age|date>',
      '--operator <name>',
      '--json',
    ])
      expect(runs).toContain(flag);
    expect(drillbook(['history', '--help']).stdout).toMatch(
      /--period <period>\s+statistics per day, ISO week or month/,
    );
    const store = drillbook(['store', '--help']);
    expect(store.status).toBe(0);
    expect(store.stdout).toMatch(/^\s+migrate \[options\]\s+bring the store's schema to this drillbook's version/m);
    const sync = drillbook(['sync', '--help']).stdout;
    expect(sync).toContain('ship every local run journal the store does not hold whole');
  });

  it('suggests the command meant by a typo, exit 2', () => {
    const r = drillbook(['validat']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('(Did you mean validate?)');
  });

  it('the service: serve, worker and token create with their options', () => {
    const serve = drillbook(['serve', '--help']).stdout;
    for (const flag of [
      '--host <host>',
      '--port <n>',
      '-f, --file <file>',
      '--store <url>',
      '--data-dir <dir>',
      '--concurrency <n>',
      '--no-worker',
    ])
      expect(serve).toContain(flag);
    expect(serve).toContain('(default: "127.0.0.1")');
    const worker = drillbook(['worker', '--help']).stdout;
    for (const flag of ['--store <url>', '--data-dir <dir>', '--concurrency <n>']) expect(worker).toContain(flag);
    const token = drillbook(['token', 'create', '--help']).stdout;
    expect(token.replace(/\s+/g, ' ')).toContain(
      '--role <role> what the token may do (choices: "viewer", "runner", "approver", "admin")',
    );
    expect(token).toContain('--name <name>');
    const missing = drillbook(['token', 'create', '--name', 'x']);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("required option '--role <role>' not specified");
  });
});
