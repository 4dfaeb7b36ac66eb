import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BIN, drillbook, ROOT, type CliResult } from '../helpers/cli.js';
import { processesMatching } from '../helpers/processes.js';
import { journalEvents, workspace, type Workspace } from '../helpers/runs.js';
import { all, parseXml } from '../helpers/xml.js';

const VERDICT = 'test/fixtures/run/verdict.yaml';
const MARKER = '23.1407';

interface Row {
  name: string;
  incident: string;
  args: string[];
  exitCode: number;
  outcome: string;
  withinTarget: boolean;
  line: RegExp;
  junitFailures: number;
  history: string;
  cause?: string;
  /** Interrupted first (SIGINT during the long step), then resumed with these arguments. */
  resumeWith?: string[];
}

const ROWS: Row[] = [
  {
    name: 'recovered within target',
    incident: 'INC-201',
    args: ['--mode', 'auto'],
    exitCode: 0,
    outcome: 'recovered',
    withinTarget: true,
    line: /^Verdict: RECOVERED in \d+ms — within target \(RTO 5m; RPO 5m: met \(data-loss window 2s\)\) \(exit 0\)$/,
    junitFailures: 0,
    history: 'within target',
  },
  {
    name: 'RTO breach',
    incident: 'INC-202',
    args: ['--mode', 'auto'],
    exitCode: 3,
    outcome: 'recovered',
    withinTarget: false,
    line: /^Verdict: RECOVERED in 1\.\ds — TARGET BREACHED: RTO 1s breached: recovered in 1\.\ds \(exit 3\)$/,
    junitFailures: 1,
    history: 'RTO BREACHED',
  },
  {
    name: 'RPO breach',
    incident: 'INC-203',
    args: ['--mode', 'auto'],
    exitCode: 3,
    outcome: 'recovered',
    withinTarget: false,
    line: /^Verdict: RECOVERED in \d+ms — TARGET BREACHED: RPO 5m breached: data-loss window 15m \(exit 3\)$/,
    junitFailures: 1,
    history: 'RPO BREACHED',
  },
  {
    name: 'failed',
    incident: 'INC-204',
    args: ['--mode', 'auto'],
    exitCode: 1,
    outcome: 'failed',
    withinTarget: false,
    line: /^Verdict: FAILED at step "count-keys": exit code 4 — not recovered, RTO 5m not met \(exit 1\)$/,
    junitFailures: 2,
    history: 'FAILED',
    cause: 'ERROR: expected 5000 keys, found 1234',
  },
  {
    name: 'rolled back',
    incident: 'INC-205',
    args: ['--mode', 'auto'],
    exitCode: 1,
    outcome: 'rolled-back',
    withinTarget: false,
    line: /^Verdict: ROLLED BACK at step "breaks": exit code 3 — not recovered, RTO 5m not met \(exit 1\)$/,
    junitFailures: 2,
    history: 'ROLLED BACK',
    cause: 'cannot promote: replica is behind',
  },
  // Auto mode without --yes now refuses a gated walk before it starts (exit 2); a run aborts when a resume
  // in auto mode meets a step of unknown outcome, which only a person may settle.
  {
    name: 'aborted',
    incident: 'INC-207',
    args: [],
    resumeWith: ['--mode', 'auto'],
    exitCode: 1,
    outcome: 'aborted',
    withinTarget: false,
    line: /^Verdict: ABORTED at step "long": interrupted — not recovered, RTO 5m not met \(exit 1\)$/,
    junitFailures: 2,
    history: 'ABORTED',
  },
  {
    name: 'interrupted then resumed',
    incident: 'INC-207',
    args: [],
    resumeWith: ['--from', 'after', '--mode', 'auto'],
    exitCode: 0,
    outcome: 'recovered',
    withinTarget: true,
    line: /^Verdict: RECOVERED in [\d.]+m?s \(incl\. \d+\.\ds interrupted\) — within target \(RTO 5m; RPO 5m: not measured\) \(exit 0\)$/,
    junitFailures: 0,
    history: 'within target',
  },
  {
    name: 'recovered within target, a phase outside the RTO clock running past the RTO',
    incident: 'INC-210',
    args: ['--mode', 'auto'],
    exitCode: 0,
    outcome: 'recovered',
    withinTarget: true,
    line: /^Verdict: RECOVERED in \d+ms \(excl\. 1\.\ds outside the RTO clock\) — within target \(RTO 1s; RPO 5m: not measured\) \(exit 0\)$/,
    junitFailures: 0,
    history: 'within target',
  },
  {
    name: 'simulated within budget, a phase outside the RTO clock over it',
    incident: 'INC-210',
    args: ['--mode', 'simulate'],
    exitCode: 0,
    outcome: 'simulated',
    withinTarget: true,
    line: /^Verdict: SIMULATED in ~1s projected \(excl\. 45s outside the RTO clock\) — within target \(RTO 1s; RPO 5m: not measured\) \(exit 0\)$/,
    junitFailures: 0,
    history: 'projected within target',
  },
  {
    name: 'simulated within budget',
    incident: 'INC-208',
    args: ['--mode', 'simulate'],
    exitCode: 0,
    outcome: 'simulated',
    withinTarget: true,
    line: /^Verdict: SIMULATED in ~2m projected — within target \(RTO 5m; RPO 5m: not measured\) \(exit 0\)$/,
    junitFailures: 0,
    history: 'projected within target',
  },
  {
    name: 'simulated over budget',
    incident: 'INC-209',
    args: ['--mode', 'simulate'],
    exitCode: 3,
    outcome: 'simulated',
    withinTarget: false,
    line: /^Verdict: SIMULATED in ~9m projected — TARGET PROJECTED TO BE BREACHED: RTO 5m breached: projected recovery in 9m \(exit 3\)$/,
    junitFailures: 1,
    history: 'PROJECTED RTO BREACHED',
  },
];

afterEach(() => {
  for (const line of processesMatching(MARKER)) {
    try {
      process.kill(Number(line.split(' ')[0]), 'SIGKILL');
    } catch {
      /* gone */
    }
  }
});

function run(ws: Workspace, incident: string, args: string[]): CliResult {
  return drillbook(['run', incident, '-f', VERDICT, '--var', `dir=${ws.dir}`, '--renderer', 'plain', ...args], {
    env: { DRILLBOOK_HOME: ws.home },
  });
}

function runDirs(ws: Workspace): string[] {
  return readdirSync(join(ws.home, 'runs')).map((id) => join(ws.home, 'runs', id));
}

/** INC-207: SIGINT during the long step (exit 130), a pause, then --resume past it. */
async function interruptedThenResumed(
  ws: Workspace,
  resumeWith: string[],
): Promise<{ first: CliResult; result: CliResult }> {
  const child = spawn(
    process.execPath,
    [BIN, 'run', 'INC-207', '-f', VERDICT, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
    {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_HOME: ws.home },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let stdout = '';
  child.stdout.on('data', (d: Buffer) => {
    stdout += d.toString();
  });
  for (let i = 0; i < 200; i++) {
    const dirs = existsSync(join(ws.home, 'runs')) ? runDirs(ws) : [];
    if (
      dirs[0] &&
      existsSync(join(dirs[0], 'journal.jsonl')) &&
      journalEvents(dirs[0]).some((e) => e.type === 'step-started' && e.step === 'long')
    )
      break;
    await new Promise((r) => setTimeout(r, 50));
  }
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code) => {
      resolve(code);
    }),
  );
  child.kill('SIGINT');
  const status = await exited;
  await new Promise((r) => setTimeout(r, 1200));
  const runId = readdirSync(join(ws.home, 'runs'))[0] ?? '';
  const result = drillbook(
    ['run', '--resume', runId, ...resumeWith, '-f', VERDICT, '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
    { env: { DRILLBOOK_HOME: ws.home } },
  );
  return { first: { status, stdout, stderr: '' }, result };
}

const unescape = (html: string) =>
  html
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');

describe('one verdict everywhere: every output agrees on each run outcome', () => {
  it.each(ROWS)('$name ($incident $args)', async (row) => {
    const ws = workspace();
    const legs = row.resumeWith
      ? await interruptedThenResumed(ws, row.resumeWith)
      : { first: null, result: run(ws, row.incident, row.args) };
    const result = legs.result;
    // the interrupted leg: exit 130 and its own verdict, never "within target"
    expect(legs.first?.status ?? null).toBe(row.resumeWith ? 130 : null);
    expect(legs.first?.stdout.split('\n').find((l) => l.startsWith('Verdict: ')) ?? null).toBe(
      row.resumeWith
        ? 'Verdict: INTERRUPTED at step "long": interrupted — not recovered, RTO 5m not judged (exit 130)'
        : null,
    );
    const env = { DRILLBOOK_HOME: ws.home };
    // exit code and the terminal's verdict line
    expect(result.stderr).toBe('');
    expect(result.status).toBe(row.exitCode);
    const line = result.stdout.split('\n').find((l) => l.startsWith('Verdict: ')) ?? '';
    expect(line).toMatch(row.line);
    expect(result.stdout).not.toMatch(row.withinTarget ? /OVER TARGET|NOT MET|BREACHED/ : /within target/);
    // report.json
    const [dir] = runDirs(ws);
    const report = JSON.parse(readFileSync(join(dir ?? '', 'report.json'), 'utf8')) as {
      outcome: string;
      exitCode: number;
      verdict: { withinTarget: boolean; outcome: string; cause: { tail: string[] } | null };
      documentation: { issues: string[] };
    };
    expect(report).toMatchObject({
      outcome: row.outcome,
      exitCode: row.exitCode,
      verdict: { outcome: row.outcome, withinTarget: row.withinTarget },
    });
    expect(report.documentation.issues.length === 0).toBe(row.withinTarget && !row.resumeWith);
    // Markdown: the same verdict line
    const md = readFileSync(join(dir ?? '', 'report.md'), 'utf8');
    expect(md).toContain(`**${line}**`);
    // HTML: a banner, green only within target, saying the same
    const html = drillbook(['report', 'latest', '--format', 'html'], { env });
    expect(html.status).toBe(0);
    const banner =
      /<div class="verdict (ok|bad)" role="status" data-outcome="([^"]+)" data-within-target="(true|false)"><p class="headline">[^<]*<\/p><p>([^<]*)<\/p>/.exec(
        html.stdout,
      );
    expect(banner?.slice(1, 4)).toEqual([row.withinTarget ? 'ok' : 'bad', row.outcome, String(row.withinTarget)]);
    expect(unescape(banner?.[4] ?? '')).toBe(line);
    // JUnit: failures that CI counts
    const junit = drillbook(['report', 'latest', '--format', 'junit'], { env });
    const suite = all(parseXml(junit.stdout), 'testsuite')[0];
    expect(suite?.attrs.failures).toBe(String(row.junitFailures));
    // history: the run's row says the same
    const history = drillbook(['history'], { env });
    expect(history.status).toBe(0);
    const runId = report.verdict ? (dir?.split('/').at(-1) ?? '') : '';
    const historyRow = history.stdout.split('\n').find((l) => l.startsWith(runId)) ?? '';
    expect(historyRow).toMatch(new RegExp(`\\s${row.outcome}\\s.*\\s${row.history}$`));
    // the failure's cause (the failing command's stderr) in every output
    for (const cause of row.cause === undefined ? [] : [row.cause]) {
      expect(report.verdict.cause?.tail).toContain(cause);
      for (const text of [result.stdout, md, unescape(html.stdout), junit.stdout]) expect(text).toContain(cause);
    }
  });
});
