import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';
import { workspace, type Workspace } from '../helpers/runs.js';

const RUNS = 200;
const AT_ONCE = 4;
const STEPS = 50;

/** A runbook of 50 steps, each of which leaves its id in ran.txt the moment it runs. */
function fiftySteps(ws: Workspace): string {
  const file = join(ws.dir, 'fifty.yaml');
  const steps = Array.from(
    { length: STEPS },
    (_, i) =>
      `          - id: s${i}\n            title: Step ${i}\n            run: "echo s${i} >> \\"$DIR/ran.txt\\""\n            shell: true`,
  );
  writeFileSync(
    file,
    `apiVersion: drillbook/v1
metadata: { name: fifty, title: Fifty steps, version: "1.0.0", owner: Tests }
objectives: { rto: 15m, rpo: 5m }
environments:
  lab: { vars: { dir: /nonexistent } }
incidents:
  - id: INC-500
    title: Fifty steps
    severity: low
    rto: 10m
    triggers: [Test]
    recovered:
      - command: { run: ["true"] }
    phases:
      - id: all
        title: All
        budget: 5m
        steps:
${steps.join('\n')}
`,
  );
  return file;
}

/**
 * One run killed with SIGKILL `afterMs` after its journal appears (so a slow start on a loaded machine does not
 * push every kill before the run began); resolves once it is gone.
 */
function killedRun(file: string, ws: Workspace, afterMs: number): Promise<void> {
  const child = spawn(
    process.execPath,
    [BIN, 'run', 'INC-500', '-f', file, '--mode', 'auto', '--renderer', 'plain', '--var', `dir=${ws.dir}`],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
      stdio: 'ignore',
    },
  );
  let timer: NodeJS.Timeout | undefined;
  const watch = setInterval(() => {
    if (timer === undefined && journalOf(ws) !== undefined) timer = setTimeout(() => child.kill('SIGKILL'), afterMs);
  }, 2);
  return new Promise((resolve) =>
    child.on('exit', () => {
      clearInterval(watch);
      clearTimeout(timer);
      resolve();
    }),
  );
}

/** The run's journal file, once it exists. */
function journalOf(ws: Workspace): string | undefined {
  const runsDir = join(ws.home, 'runs');
  if (!existsSync(runsDir)) return undefined;
  const [id] = readdirSync(runsDir);
  const journal = join(runsDir, id ?? '', 'journal.jsonl');
  return id !== undefined && existsSync(journal) ? journal : undefined;
}

describe('the journal under kill -9', () => {
  it(`over ${RUNS} runs killed at random points, every journal parses and every step that ran has its started event on disk`, async () => {
    const runs = Array.from({ length: RUNS }, () => workspace());
    const file = fiftySteps(runs[0] ?? workspace());
    let next = 0;
    const worker = async () => {
      while (next < RUNS) {
        const ws = runs[next++];
        if (ws) await killedRun(file, ws, Math.floor(Math.random() * 400));
      }
    };
    await Promise.all(Array.from({ length: AT_ONCE }, worker));
    let killedMidRun = 0;
    for (const ws of runs) {
      const journal = journalOf(ws);
      if (journal === undefined) continue; // killed before the journal existed: nothing ran
      const text = readFileSync(journal, 'utf8');
      // Whole lines parse; only a torn last line may not (readers drop it).
      const whole = text.split('\n').slice(0, -1);
      const events = whole.map((l) => JSON.parse(l) as { type: string; step?: string });
      const started = new Set(events.filter((e) => e.type === 'step-started').map((e) => e.step));
      const ran = existsSync(join(ws.dir, 'ran.txt'))
        ? readFileSync(join(ws.dir, 'ran.txt'), 'utf8').trim().split('\n')
        : [];
      expect({ journal, ranWithoutStart: ran.filter((step) => !started.has(step)) }).toEqual({
        journal,
        ranWithoutStart: [],
      });
      if (!events.some((e) => e.type === 'run-finished')) killedMidRun += 1;
    }
    // The kills landed mid-run often enough for the check to mean something.
    expect(killedMidRun).toBeGreaterThan(RUNS / 4);
  }, 300_000);
});
