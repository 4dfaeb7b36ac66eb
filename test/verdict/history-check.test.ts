import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { writeRuns, type FakeRun } from '../helpers/journals.js';
import { workspace } from '../helpers/runs.js';
import { runInBackground, until } from '../helpers/store.js';

const CADENCE = 'test/fixtures/run/cadence.yaml';
const DAY = 86_400_000;
let n = 0;

/** A prepared run of the cadence fixture, `daysAgo` days ago. */
function ran(incident: string, daysAgo: number, outcome: FakeRun['outcome'], extra: Partial<FakeRun> = {}): FakeRun {
  n += 1;
  const startedAt = new Date(Date.now() - daysAgo * DAY).toISOString();
  return {
    runId: `${startedAt.slice(0, 10).replace(/-/g, '')}-000000-${incident}-${String(n).padStart(4, '0')}`,
    incident,
    runbook: 'cadence-fixture',
    runbookFile: CADENCE,
    startedAt,
    outcome,
    ttrMs: 60_000,
    rtoMs: 600_000,
    ...extra,
  };
}

function check(runs: FakeRun[], args: string[] = []) {
  const ws = workspace();
  writeRuns(ws.home, runs);
  return drillbook(['history', '--check', ...args], { env: { DRILLBOOK_HOME: ws.home } });
}

const FRESH = [ran('INC-301', 2, 'recovered'), ran('INC-302', 20, 'recovered'), ran('INC-303', 60, 'recovered')];

describe('drillbook history --check: is our DR still proven?', () => {
  it("exits 0 when every scheduled incident's latest real run is within target and within its cadence", () => {
    const r = check(FRESH);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^ok {6}cadence-fixture\/INC-301: last real run 2d ago, within target \(weekly\)$/m);
    expect(r.stdout).not.toContain('INC-304');
  });

  it("exits 1 when an incident is overdue for its drill (a simulation does not count, nor a run of another runbook's same id)", () => {
    const runs = [
      ran('INC-301', 9, 'recovered'),
      ran('INC-301', 1, 'simulated', { mode: 'simulate' }),
      ran('INC-301', 1, 'recovered', { runbook: 'other-runbook' }),
      ...FRESH.slice(1),
    ];
    const r = check(runs);
    expect(r.status).toBe(1);
    expect(r.stdout).toMatch(
      /^OVERDUE cadence-fixture\/INC-301: last real run 9d ago; its weekly drill is due every 7d$/m,
    );
  });

  it('exits 1 for an incident never run for real, named with -f', () => {
    const r = check(FRESH.slice(0, 2), ['-f', CADENCE]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('OVERDUE cadence-fixture/INC-303: never run for real; its quarterly drill is due every');
  });

  it.each([
    ['failed', ran('INC-302', 1, 'failed', { ttrMs: null }), 'FAILED'],
    ['breached its RTO', ran('INC-302', 1, 'recovered', { ttrMs: 900_000 }), 'RTO BREACHED'],
    ['breached its RPO', ran('INC-302', 1, 'recovered', { rpoMs: 600_000 }), 'RPO BREACHED'],
    ['was interrupted', ran('INC-302', 1, 'interrupted', { ttrMs: null }), 'INTERRUPTED'],
  ])(
    'exits 3 when the latest real run %s, even after an earlier success and while another incident is overdue',
    (_what, latest, word) => {
      const r = check([FRESH[0] as FakeRun, ran('INC-302', 5, 'recovered'), latest]);
      expect(r.status).toBe(3);
      expect(r.stdout).toContain(`FAILED  cadence-fixture/INC-302: latest real run ${latest.runId} (auto): ${word}`);
      expect(r.stdout).toContain('OVERDUE cadence-fixture/INC-303');
    },
  );

  it('filters with --runbook, --mode and --since, and refuses a bad --since with exit 2', () => {
    const ws = workspace();
    writeRuns(ws.home, [...FRESH, ran('INC-301', 40, 'failed', { runbook: 'other-runbook' })]);
    const env = { DRILLBOOK_HOME: ws.home };
    const json = (args: string[]) =>
      JSON.parse(drillbook(['history', '--json', ...args], { env }).stdout) as {
        runs: { runbook: string; incident: string }[];
      };
    expect(json(['--runbook', 'other-runbook']).runs.map((r) => r.incident)).toEqual(['INC-301']);
    expect(json(['--since', '30d']).runs.map((r) => r.incident)).toEqual(['INC-302', 'INC-301']);
    expect(json(['--mode', 'simulate']).runs).toEqual([]);
    const bad = drillbook(['history', '--since', 'last week'], { env });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'drillbook: --since expects an age such as 7d, 30d, 12h or 2w, or a date such as 2026-01-31, got "last week"\n',
    );
  });
});

describe('drillbook history --check while a drill is running', () => {
  const CONSOLE = 'test/fixtures/serve/console.yaml';

  it('judges by the latest finished real run and says the drill runs now; once its process is killed, UNFINISHED fails', async () => {
    const ws = workspace();
    const env = { DRILLBOOK_HOME: ws.home };
    const run = ['run', 'INC-601', '-f', CONSOLE, '--env', 'test', '--mode', 'auto', '--yes', '--renderer', 'plain'];
    const first = drillbook([...run, '--var', 'pause=0'], { env });
    expect(first.status).toBe(0);
    const finished = readdirSync(join(ws.home, 'runs'))[0] ?? '';
    const live = runInBackground([...run, '--var', 'pause=20'], env);
    try {
      let liveId = '';
      await until(() => {
        liveId = readdirSync(join(ws.home, 'runs')).find((d) => d !== finished) ?? '';
        const journal = liveId ? join(ws.home, 'runs', liveId, 'journal.jsonl') : '';
        return journal !== '' && existsSync(journal) && readFileSync(journal, 'utf8').includes('"copy-backup"');
      }, 'the second run to reach its slow step');
      const during = drillbook(['history', '--check'], { env });
      expect(during.stderr).toBe('');
      expect(during.stdout).not.toContain('FAILED');
      expect(during.stdout).toMatch(
        new RegExp(
          `^running console-fixture/INC-601: drill running now \\(${liveId}, started \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\); latest finished real run ${finished}: within target$`,
          'm',
        ),
      );
      // INC-602's weekly drill was never run: overdue (exit 1), not failed (exit 3).
      expect(during.status).toBe(1);
      // A run whose process is gone without finishing (kill -9) is not running: it is judged, and it failed.
      live.kill('SIGKILL');
      await live.done;
      const after = drillbook(['history', '--check'], { env });
      expect(after.stdout).toContain(`FAILED  console-fixture/INC-601: latest real run ${liveId} (auto): UNFINISHED`);
      expect(after.stdout).not.toContain('drill running now');
      expect(after.status).toBe(3);
    } finally {
      live.kill('SIGKILL');
      await live.done;
    }
  });
});
