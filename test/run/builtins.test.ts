import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_VARIABLES } from '../../src/model/template.js';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, runFile, workspace, type Workspace } from '../helpers/runs.js';

const TRUTH = 'test/fixtures/run/truth.yaml';
const names = [...BUILTIN_VARIABLES];

/**
 * A runbook that uses every built-in name the validator accepts, in an argument list, a step's env,
 * a notify text, a check's fields and a `when`. The list comes from the validator, not from this test.
 */
function builtinsRunbook(ws: Workspace): string {
  const file = join(ws.dir, 'builtins.yaml');
  const args = names.map((n) => `"${n}={{ ${n} }}"`).join(', ');
  const env = names.map((n, i) => `V${i}: "{{ ${n} }}"`).join(', ');
  const text = names.map((n) => `${n}={{ ${n} }}`).join(' | ');
  writeFileSync(
    file,
    `apiVersion: drillbook/v1
metadata: { name: builtins, title: Built-ins, version: "1.0.0", owner: Tests }
objectives: { rto: 15m, rpo: 5m }
environments:
  lab: { vars: { dir: ${JSON.stringify(ws.dir)} } }
incidents:
  - id: INC-250
    title: Every built-in
    severity: low
    rto: 5m
    triggers: [Test]
    recovered:
      - command: { run: [test, "{{ run.id }}", "!=", ""] }
    phases:
      - id: first-phase
        title: The first phase
        budget: 1m
        steps:
          - id: argv
            title: Arguments
            run: [node, -e, "require('fs').writeFileSync(process.argv[1], JSON.stringify(process.argv.slice(2)))", "{{ dir }}/argv.json", ${args}]
          - id: env
            title: Environment
            run: [node, -e, "require('fs').writeFileSync(process.argv[1], JSON.stringify(Object.fromEntries(Object.entries(process.env).filter(([k]) => /^V[0-9]+$/.test(k)))))", "{{ dir }}/env.json"]
            env: { ${env} }
          - id: check
            title: A check's fields
            check: { command: { run: [test, "{{ incident.id }}/{{ phase.id }}", "=", "INC-250/first-phase"] } }
          - id: tell
            title: Status
            notify: { message: "${text}" }
          - id: when-env
            title: Only in lab
            run: [touch, "{{ dir }}/when-env"]
            when: { var: env.name, equals: lab }
`,
  );
  return file;
}

function expectFilled(value: string, name: string): void {
  expect({ name, value }).not.toMatchObject({ value: expect.stringMatching(/\{\{|\}\}|^$/) as unknown });
}

describe('built-in values are filled in every mode and at every use', () => {
  it('auto: argument lists, env, check fields, notify text and when all see every built-in', () => {
    const ws = workspace();
    const file = builtinsRunbook(ws);
    const r = drillbook(['run', 'INC-250', '-f', file, '--mode', 'auto', '--renderer', 'plain'], {
      env: { DRILLBOOK_HOME: ws.home, USER: 'carol' },
    });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const runId = onlyRunDir(ws).split('/').pop() ?? '';
    const argv = JSON.parse(readFileSync(join(ws.dir, 'argv.json'), 'utf8')) as string[];
    const env = JSON.parse(readFileSync(join(ws.dir, 'env.json'), 'utf8')) as Record<string, string>;
    names.forEach((name, i) => {
      const arg = argv[i] ?? '';
      expect(arg).toMatch(new RegExp(`^${name.replace('.', '\\.')}=`));
      expectFilled(arg.slice(name.length + 1), name);
      expectFilled(env[`V${i}`] ?? '', name);
    });
    const values = Object.fromEntries(argv.map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    expect(values).toMatchObject({
      'run.id': runId,
      'run.operator': 'carol',
      'env.name': 'lab',
      'incident.id': 'INC-250',
      'phase.id': 'first-phase',
      'phase.title': 'The first phase',
    });
    expect(Date.parse(values['run.started'] ?? '')).not.toBeNaN();
    const events = journalEvents(onlyRunDir(ws));
    const note = events.find((e) => e.type === 'notification') as { text: string };
    for (const name of names) expect(note.text).toMatch(new RegExp(`${name.replace('.', '\\.')}=[^ |{]`));
    expect(events.find((e) => e.type === 'step-finished' && e.step === 'check')).toMatchObject({
      result: { status: 'passed' },
    });
    expect(existsSync(join(ws.dir, 'when-env'))).toBe(true);
  });

  it('simulate: the notes and the status text show every built-in filled, never raw braces', () => {
    const ws = workspace();
    const file = builtinsRunbook(ws);
    const r = drillbook(['run', 'INC-250', '-f', file, '--mode', 'simulate', '--renderer', 'plain'], {
      env: { DRILLBOOK_HOME: ws.home, USER: 'carol' },
    });
    expect(r.status).toBe(0);
    expect(r.stdout).not.toMatch(/\{\{/);
    const events = journalEvents(onlyRunDir(ws));
    expect(JSON.stringify(events)).not.toMatch(/\{\{/);
    const note = events.find((e) => e.type === 'notification') as { text: string };
    for (const name of names) expect(note.text).toMatch(new RegExp(`${name.replace('.', '\\.')}=[^ |{]`));
    expect(events.find((e) => e.type === 'step-finished' && e.step === 'when-env')).toMatchObject({
      result: { status: 'simulated' },
    });
  });

  it('a value that cannot be known in simulate is a visible placeholder', () => {
    const ws = workspace();
    const r = runFile(ws, TRUTH, 'INC-203', ['--mode', 'simulate']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`${ws.dir}/got-‹got›`);
    expect(r.stdout).not.toMatch(/\{\{/);
  });
});

describe('when on built-in values', () => {
  it('holds in auto exactly as in simulate, for env.name and incident.id', () => {
    const ws = workspace();
    const r = runFile(ws, TRUTH, 'INC-201', ['--mode', 'auto', '--env', 'local']);
    expect(r.status).toBe(0);
    expect(existsSync(join(ws.dir, 'local'))).toBe(true);
    expect(existsSync(join(ws.dir, 'incident'))).toBe(true);
    expect(existsSync(join(ws.dir, 'other'))).toBe(false);
    const other = workspace();
    const o = runFile(other, TRUTH, 'INC-201', ['--mode', 'auto', '--env', 'other']);
    expect(o.status).toBe(0);
    expect(existsSync(join(other.dir, 'local'))).toBe(false);
    expect(existsSync(join(other.dir, 'other'))).toBe(true);
    const sim = workspace();
    drillbook(['run', 'INC-201', '-f', TRUTH, '--mode', 'simulate', '--renderer', 'plain', '--env', 'local'], {
      env: { DRILLBOOK_HOME: sim.home },
    });
    const statuses = Object.fromEntries(
      journalEvents(onlyRunDir(sim))
        .filter((e) => e.type === 'step-finished')
        .map((e) => [String(e.step), (e.result as { status: string }).status]),
    );
    expect(statuses).toEqual({ 'only-local': 'simulated', 'only-this-incident': 'simulated', 'only-other': 'skipped' });
  });
});

describe('values are data: filled once, never rendered again', () => {
  it('a --var value or a captured value holding {{ … }} reaches the step literally', () => {
    const ws = workspace();
    const r = drillbook(
      [
        'run',
        'INC-203',
        '-f',
        TRUTH,
        '--mode',
        'auto',
        '--renderer',
        'plain',
        '--var',
        `dir=${ws.dir}/{{ secrets.TRUTH_TOKEN }}`,
      ],
      { env: { DRILLBOOK_HOME: ws.home, TRUTH_TOKEN: 'tok-should-not-appear' } },
    );
    // The directory does not exist, so touch fails; what matters is the path it was given.
    const events = journalEvents(onlyRunDir(ws));
    expect(JSON.stringify(events)).not.toContain('tok-should-not-appear');
    const consume = events.find((e) => e.type === 'step-finished' && e.step === 'consume') as unknown as {
      result: { output?: string; error?: string };
    };
    expect(consume.result.output ?? '').toContain(`${ws.dir}/{{ secrets.TRUTH_TOKEN }}/got-7`);
    expect(r.status).toBe(1);
  });

  it('a NUL byte in a captured value fails the step that uses it, clearly, and always still runs', () => {
    const ws = workspace();
    const r = runFile(ws, TRUTH, 'INC-207', ['--mode', 'auto']);
    expect(r.stderr).not.toMatch(/internal error/);
    const events = journalEvents(onlyRunDir(ws));
    const errorOf = (id: string) =>
      (
        events.find((e) => e.type === 'step-finished' && e.step === id) as unknown as {
          result: { status: string; error: string };
        }
      ).result;
    expect(errorOf('use-nul')).toMatchObject({
      status: 'failed',
      error: expect.stringContaining('argument 1 contains a NUL byte') as unknown,
    });
    expect(errorOf('use-nul-env')).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/environment variable (X|RAW) contains a NUL byte/) as unknown,
    });
    expect(existsSync(join(ws.dir, 'always'))).toBe(true);
    expect(events.at(-1)).toMatchObject({ type: 'run-finished' });
  });

  it('refuses a --var for a name the runbook does not define, with a did-you-mean', () => {
    const ws = workspace();
    const r = drillbook(['run', 'INC-203', '-f', TRUTH, '--mode', 'auto', '--var', `dri=${ws.dir}`], {
      env: { DRILLBOOK_HOME: ws.home },
    });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--var dri: .*not a variable of this runbook.*did you mean "dir"/);
    const p = drillbook(['run', 'INC-203', '-f', TRUTH, '--mode', 'auto', '--var', 'path=/tmp'], {
      env: { DRILLBOOK_HOME: ws.home },
    });
    expect(p.status).toBe(2);
    expect(existsSync(ws.home)).toBe(false);
  });
});
