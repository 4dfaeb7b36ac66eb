import { appendFileSync, existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { fakeJournal, writeRuns, type FakeRun } from '../helpers/journals.js';
import { runFixture, workspace, onlyRunDir } from '../helpers/runs.js';

const DAY = 86_400_000;

function ran(n: number, outcome: FakeRun['outcome']): FakeRun {
  const startedAt = new Date(Date.now() - n * DAY).toISOString();
  return {
    runId: `${startedAt.slice(0, 10).replace(/-/g, '')}-000000-INC-301-${String(n).padStart(4, '0')}`,
    incident: 'INC-301',
    runbook: 'cadence-fixture',
    runbookFile: 'test/fixtures/run/cadence.yaml',
    startedAt,
    outcome,
    ttrMs: 60_000,
    rtoMs: 600_000,
  };
}

const history = (home: string) => {
  const r = drillbook(['history', '--json'], { env: { DRILLBOOK_HOME: home } });
  expect(r.stderr).toBe('');
  return JSON.parse(r.stdout) as { overall: { realRuns: number; succeeded: number; failed: number } };
};

describe("history keeps each run's summary beside its journal, and the journal stays the truth", () => {
  it('a finished run leaves its summary; history reads the same answer from summaries as from journals', () => {
    const ws = workspace();
    expect(runFixture(ws, 'INC-101', ['--mode', 'auto']).status).toBe(0);
    expect(existsSync(join(onlyRunDir(ws), 'history.json'))).toBe(true);

    writeRuns(ws.home, [ran(3, 'recovered'), ran(2, 'failed'), ran(1, 'rolled-back')]);
    const first = history(ws.home); // judges the three prepared journals and keeps their summaries
    const second = history(ws.home); // reads the summaries
    expect(second).toEqual(first);
    expect(first.overall).toMatchObject({ realRuns: 4, succeeded: 2, failed: 2 });
  });

  it('a journal that changed since its summary (a resume appended to it) is judged again', () => {
    const ws = workspace();
    const run = ran(1, 'recovered');
    writeRuns(ws.home, [run]);
    expect(history(ws.home).overall.succeeded).toBe(1);
    // The same run id, now a failure: a longer journal than the summary was taken from.
    const journal = join(ws.home, 'runs', run.runId, 'journal.jsonl');
    const failed = fakeJournal({ ...run, outcome: 'failed' })
      .map((e) => JSON.stringify(e))
      .join('\n');
    writeFileSync(journal, `${failed}\n`);
    appendFileSync(journal, '');
    expect(history(ws.home).overall).toMatchObject({ succeeded: 0, failed: 1 });
  });

  it('a summary that is unreadable, of another version, or forged over a different journal is not believed', () => {
    const ws = workspace();
    const run = ran(1, 'failed');
    writeRuns(ws.home, [run]);
    history(ws.home);
    const dir = join(ws.home, 'runs', run.runId);
    const summary = JSON.parse(readFileSync(join(dir, 'history.json'), 'utf8')) as {
      drillbook: string;
      journal: { bytes: number; mtimeMs: number };
      run: { verdict: { withinTarget: boolean } };
    };
    const forged = { ...summary, run: { ...summary.run, verdict: { ...summary.run.verdict, withinTarget: true } } };

    writeFileSync(join(dir, 'history.json'), '{ not json');
    expect(history(ws.home).overall).toMatchObject({ succeeded: 0, failed: 1 });
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ ...forged, drillbook: '0.0.0-older' }));
    expect(history(ws.home).overall).toMatchObject({ succeeded: 0, failed: 1 });
    writeFileSync(join(dir, 'history.json'), JSON.stringify({ ...forged, journal: { ...forged.journal, bytes: 1 } }));
    expect(history(ws.home).overall).toMatchObject({ succeeded: 0, failed: 1 });
    // The journal touched since: its modification time no longer matches.
    writeFileSync(join(dir, 'history.json'), JSON.stringify(forged));
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(dir, 'journal.jsonl'), later, later);
    expect(history(ws.home).overall).toMatchObject({ succeeded: 0, failed: 1 });
  });
});
