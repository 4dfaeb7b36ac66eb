import { afterEach, describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, reportOf, workspace } from '../helpers/runs.js';
import { Terminal } from '../helpers/terminal.js';

const FILE = 'test/fixtures/run/comms.yaml';
const PROMPT = '↑↓';
let term: Terminal | undefined;
afterEach(() => {
  term?.close();
  term = undefined;
});

describe('escalation and status reminders at an open prompt', () => {
  it('print above the prompt, which is asked again intact and still answers', async () => {
    const ws = workspace();
    term = Terminal.start(`cd ${ROOT} && node ${BIN} run INC-204 -f ${FILE} --mode interactive`, {
      DRILLBOOK_HOME: ws.home,
      USER: 'alice',
      HOOK_URL: '',
      SMTP_PASSWORD: '',
      API_TOKEN: '',
    });
    const t = term;
    await t.waitAfter('[look', PROMPT);
    // The responder has not answered: the clock passes level 2 (1s) and the first status update (2s).
    await t.waitFor('ESCALATION Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders');
    await t.waitFor('status update 1 due: post it to the war room');
    await t.waitAfter('status update 1 due', PROMPT);
    const screen = t.screen();
    // Each notice is a whole line of its own, and the prompt is drawn again below the last one.
    expect(screen).toMatch(
      /^\[T\+\d[\d.]*m?s\] ESCALATION Level 2: war room with Database Admin, DevOps Lead, CTO; notify stakeholders$/m,
    );
    expect(screen).toMatch(/^ {2}\| \[INC-204\] \d[\d.]*s in, at Look at the dashboard$/m);
    expect(screen.slice(screen.lastIndexOf('status update 1 due'))).toContain('Manual step');
    t.send('Enter'); // Done
    await t.waitAfter('[look', 'Note (optional):');
    await t.answer('seen');
    expect(await t.exitCode()).toBe(0);
    const dir = onlyRunDir(ws);
    expect(reportOf(dir).steps.find((s) => s.id === 'look')?.note).toBe('confirmed by alice: seen');
    const events = journalEvents(dir);
    expect(events.filter((e) => e.type === 'escalation').map((e) => e.level)).toEqual([1, 2]);
    // Interactive mode reminds; it sends nothing by itself.
    const updates = events.filter((e) => e.type === 'status-update');
    expect(updates.length).toBeGreaterThanOrEqual(1);
    for (const u of updates) expect(u.sent).toBe(false);
    expect(events.some((e) => e.type === 'delivery')).toBe(false);
  });
});
