import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { workspace, type Workspace } from '../helpers/runs.js';
import { Terminal } from '../helpers/terminal.js';

const FIXTURE = 'test/fixtures/run/terminal.yaml';
const RED = '\u001b[31m';
let term: Terminal | undefined;

afterEach(() => {
  term?.close();
  term = undefined;
});

function start(ws: Workspace, args: string): Terminal {
  term = Terminal.start(
    `cd ${ROOT} && node ${BIN} run ${args} -f ${FIXTURE} --var dir=${ws.dir}; echo "exit=$?"; sleep 30`,
    { DRILLBOOK_HOME: ws.home, USER: 'alice', TERM: 'xterm-256color' },
  );
  return term;
}

/** The screen's lines with their colours (tmux capture-pane -e). */
function colouredLines(t: Terminal): string[] {
  return t.screen({ escapes: true }).split('\n');
}

describe('the live view on a terminal (Listr2)', () => {
  it('keeps a clock line against the RTO and turns a phase red with OVER the moment its budget passes', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-401 --mode auto --renderer listr');
    await t.waitFor('OVER by');
    expect(t.screen()).toMatch(/T\+\d+(\.\d)?s · RTO 5m · \S+ left · phase 1\/2/);
    const over = colouredLines(t).find((l) => l.includes('Slow phase') && l.includes('OVER by'));
    expect(over).toContain(RED);
    await t.waitFor('exit=0');
    const screen = t.screen();
    expect(screen).toMatch(/Slow phase: took 3(\.\d)?s of 1s — OVER BUDGET by 2(\.\d)?s/);
    // Cleanup and always are shown, in their true state.
    expect(screen).toMatch(/✔ Tidy up after the recovery/);
    expect(screen).toMatch(/✔ Log the end/);
    expect(screen).toContain('RECOVERED (exit 0)');
  });

  it('shows sections a failed run never reached as not reached, never ticked', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-402 --mode auto --renderer listr');
    await t.waitFor('exit=1');
    const screen = t.screen();
    expect(screen).toMatch(/Second phase \(budget 1m\) — not reached/);
    expect(screen).toMatch(/Cleanup — not reached/);
    expect(screen).not.toMatch(/✔ Second phase/);
    expect(screen).not.toMatch(/✔ Cleanup/);
    expect(screen).toMatch(/✖ FAILED \(exit 1\)/);
    const verdict = colouredLines(t).find((l) => l.includes('FAILED (exit 1)') && !l.includes('✖'));
    expect(verdict).toContain(RED);
  });

  it('has no colours with NO_COLOR', async () => {
    const ws = workspace();
    term = Terminal.start(
      `cd ${ROOT} && NO_COLOR=1 node ${BIN} run INC-402 -f ${FIXTURE} --mode auto --renderer plain --var dir=${ws.dir}; echo "exit=$?"; sleep 30`,
      { DRILLBOOK_HOME: ws.home },
    );
    await term.waitFor('exit=1');
    expect(term.screen({ escapes: true })).not.toContain(RED);
    expect(term.screen()).toMatch(/FAIL breaks: Breaks/);
  });
});

describe('interactive prompts stay intact', () => {
  it('an overrun during a prompt is printed above it, and the prompt is asked again whole', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-403 --mode interactive');
    await t.waitAfter('[look', '↑↓');
    await t.waitFor('budget 1s passed');
    // The prompt comes back below the notice, whole: its question, its choices and its key help.
    await t.waitAfter('budget 1s passed', '↑↓ navigate');
    const screen = t.screen();
    const after = screen.slice(screen.lastIndexOf('! phase "Tight phase"'));
    expect(after).toMatch(
      /^! phase "Tight phase" budget 1s passed at T\+1(\.\d)?s — OVER\n\? Next step\n❯ Run it now\n/,
    );
    expect(screen).not.toMatch(/Next step[^\n]*!/);
    t.send('Enter');
    await t.waitFor('exit=0');
    expect(existsSync(join(ws.dir, 'looked'))).toBe(true);
  });
});

describe('steps a responder reads', () => {
  it('shows a check in words and details as a list, and a shell command that can be copied and run', async () => {
    const ws = workspace();
    const t = start(ws, 'INC-404 --mode interactive');
    await t.waitAfter('[probe', '↑↓');
    expect(t.screen()).toContain(`check: run test -d ${ws.dir}; expect exit code 0 (deadline 5s)`);
    t.send('Down', 'Down', 'Down', 'Enter'); // Show details
    await t.waitFor('on failure: abort');
    expect(t.screen()).not.toMatch(/[{}]"/);
    await t.waitAfter('on failure: abort', '↑↓');
    t.send('Enter');
    await t.waitAfter('[write-it', '↑↓');
    const line =
      t
        .screen()
        .split('\n')
        .find((l) => l.includes('run: DIR=')) ?? '';
    const command = line.slice(line.indexOf('run: ') + 5).trim();
    expect(command).toBe(`DIR=${ws.dir} sh -c 'echo '\\''it'\\''"'\\''"'\\''s done'\\'' > "$DIR/note"'`);
    t.send('Enter');
    await t.waitFor('exit=0');
    // Pasted into a shell, the shown command does what the step did.
    const copy = workspace();
    const { execSync } = await import('node:child_process');
    execSync(command.replace(ws.dir, copy.dir), { shell: '/bin/sh' });
    expect(readFileSync(join(copy.dir, 'note'), 'utf8')).toBe(readFileSync(join(ws.dir, 'note'), 'utf8'));
  });
});

describe('communications in the live view', () => {
  it('shows an escalation level under the clock while the step that passes it is still running', async () => {
    const ws = workspace();
    term = Terminal.start(
      `cd ${ROOT} && node ${BIN} run INC-201 -f test/fixtures/run/comms.yaml --mode auto --renderer listr; echo "exit=$?"; sleep 30`,
      {
        DRILLBOOK_HOME: ws.home,
        USER: 'alice',
        TERM: 'xterm-256color',
        HOOK_URL: '',
        SMTP_PASSWORD: '',
        API_TOKEN: '',
      },
    );
    const t = term;
    await t.waitFor('ESCALATION Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders');
    // Live: the first step (3s) has not finished when level 2 (1s) shows.
    expect(t.screen()).not.toMatch(/✔ First wait/);
    await t.waitFor('exit=0');
    const screen = t.screen();
    expect(screen).toContain('escalation level 2 → chat: skipped (no webhook URL in this environment)');
    expect(screen).toMatch(/^Communications$/m);
  });
});
