import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, onlyRunDir, reportOf, runFile, workspace } from '../helpers/runs.js';
import { runInBackground, scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/store.yaml';

describe('a run with a store configured ships its journal', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('every journal line once, in order, with the run, its verdict, origin, steps and runbook', async () => {
    const ws = workspace();
    const r = runFile(ws, FIXTURE, 'INC-402', ['--mode', 'auto'], { DRILLBOOK_STORE: db.url });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const dir = onlyRunDir(ws);
    const journal = journalEvents(dir);
    const report = reportOf(dir);
    const stored = await db.query<{ seq: number; payload: unknown }>(
      'select seq, payload from events where run_id = $1 order by seq',
      [report.runId],
    );
    expect(stored.map((e) => e.seq)).toEqual(journal.map((_, i) => i + 1));
    expect(stored.map((e) => e.payload)).toEqual(journal);
    const [run] = await db.query('select * from runs');
    expect(run).toMatchObject({
      id: report.runId,
      runbook: 'store-fixture',
      incident: 'INC-402',
      mode: 'auto',
      outcome: 'recovered',
      verdict: 'within target',
      succeeded: true,
      simulated: false,
      ttr_ms: report.verdict.ttr.ms,
      operator: report.operator,
      origin_host: hostname(),
      events_seen: journal.length,
    });
    const steps = await db.query<{ step: string; status: string }>(
      'select step, status from step_results where run_id = $1 order by seq',
      [report.runId],
    );
    expect(steps).toEqual(report.steps.map((s) => ({ step: s.id, status: s.status })));
    const runbooks = await db.query('select name, version, sha256, source from runbooks');
    expect(runbooks).toEqual([
      { name: 'store-fixture', version: '1.0.0', sha256: report.runbook.sha256, source: readFileSync(FIXTURE, 'utf8') },
    ]);
  });

  it('a run stopped and resumed (another process) ends up whole in the store, its row the verdict of the resumed run', async () => {
    const ws = workspace();
    const env = { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url };
    const args = ['run', 'INC-401', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'];
    const first = runInBackground(args, env);
    const journal = () => {
      const runs = join(ws.home, 'runs');
      const id = existsSync(runs) ? readdirSync(runs)[0] : undefined;
      return id === undefined ? '' : join(runs, id, 'journal.jsonl');
    };
    await until(
      () => existsSync(journal()) && (readFileSync(journal(), 'utf8').match(/"step-finished"/g) ?? []).length >= 3,
      'three steps',
    );
    first.kill('SIGINT');
    expect((await first.done).status).toBe(130);
    const runId = reportOf(onlyRunDir(ws)).runId;
    expect(await db.query('select outcome from runs where id = $1', [runId])).toEqual([{ outcome: 'interrupted' }]);
    const resumed = drillbook(
      ['run', '--resume', 'latest', '-f', FIXTURE, '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
      { env },
    );
    expect(resumed.stderr).toBe('');
    // The step the interruption cut is of unknown outcome: auto mode stops there rather than guess.
    expect(resumed.status).toBe(1);
    const lines = journalEvents(onlyRunDir(ws));
    const stored = await db.query<{ payload: unknown }>('select payload from events where run_id = $1 order by seq', [
      runId,
    ]);
    expect(stored.map((s) => s.payload)).toEqual(lines);
    expect(reportOf(onlyRunDir(ws)).outcome).toBe('aborted');
    expect(await db.query('select outcome, events_seen from runs where id = $1', [runId])).toEqual([
      { outcome: 'aborted', events_seen: lines.length },
    ]);
  }, 60_000);

  it('a step never sees DRILLBOOK_STORE', () => {
    const ws = workspace();
    const r = runFile(ws, FIXTURE, 'INC-401', ['--mode', 'auto', '--json'], { DRILLBOOK_STORE: db.url });
    expect(r.status).toBe(0);
    const dir = onlyRunDir(ws);
    expect(reportOf(dir).steps.find((s) => s.id === 'store-hidden')?.output).toBe('store=hidden');
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain(db.name);
  });

  it('recorded metrics go to their table', async () => {
    const ws = workspace();
    const r = runFile(
      ws,
      'test/fixtures/run/verdict.yaml',
      'INC-201',
      ['--mode', 'auto', '--record', 'measure.failover-duration=42s', '--reviewer', 'Dana'],
      { DRILLBOOK_STORE: db.url },
    );
    expect(r.status).toBe(0);
    const runId = reportOf(onlyRunDir(ws)).runId;
    expect(await db.query('select step, name, value from metrics where run_id = $1', [runId])).toEqual([
      { step: 'measure', name: 'Failover duration', value: '42s' },
    ]);
  });

  it('a run in CI records its job as its origin', async () => {
    const ws = workspace();
    const r = runFile(ws, FIXTURE, 'INC-402', ['--mode', 'auto'], {
      DRILLBOOK_STORE: db.url,
      GITHUB_ACTIONS: 'true',
      GITHUB_REPOSITORY: 'acme/dr',
      GITHUB_RUN_ID: '4242',
      GITHUB_WORKFLOW: 'monthly drill',
    });
    expect(r.status).toBe(0);
    const started = journalEvents(onlyRunDir(ws))[0] as { origin: unknown };
    const ci = {
      system: 'github-actions',
      GITHUB_REPOSITORY: 'acme/dr',
      GITHUB_WORKFLOW: 'monthly drill',
      GITHUB_RUN_ID: '4242',
    };
    expect(started.origin).toMatchObject({ host: hostname(), ci });
    const runId = reportOf(onlyRunDir(ws)).runId;
    expect(await db.query('select origin_host, origin_ci from runs where id = $1', [runId])).toEqual([
      { origin_host: hostname(), origin_ci: ci },
    ]);
  });

  it('report and runs read the store: the same report as from the journal', () => {
    const ws = workspace();
    const r = runFile(ws, FIXTURE, 'INC-402', ['--mode', 'auto'], { DRILLBOOK_STORE: db.url });
    expect(r.status).toBe(0);
    const runId = reportOf(onlyRunDir(ws)).runId;
    const local = drillbook(['report', runId, '--format', 'json'], {
      env: { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: '' },
    });
    const fromStore = drillbook(['report', runId, '--format', 'json', '--store', db.url], {
      env: { DRILLBOOK_HOME: join(ws.dir, 'empty-home') },
    });
    expect(fromStore.stderr).toBe('');
    expect(JSON.parse(fromStore.stdout)).toEqual(JSON.parse(local.stdout));
    const listed = drillbook(['runs', '--json', '--incident', 'INC-402', '--mode', 'auto', '--outcome', 'recovered'], {
      env: { DRILLBOOK_STORE: db.url },
    });
    const runs = (JSON.parse(listed.stdout) as { runs: { runId: string; origin: string }[] }).runs;
    expect(runs.map((x) => x.runId)).toContain(runId);
    expect(runs.every((x) => x.origin.startsWith(hostname()))).toBe(true);
    const none = drillbook(['runs', '--outcome', 'rolled-back'], { env: { DRILLBOOK_STORE: db.url } });
    expect(none.stdout).toMatch(/^no runs in postgres:\/\/postgres@127\.0\.0\.1:5432\/drillbook_store_\w+\n$/);
  });

  it('a simulation opens no connection; drillbook sync ships it afterwards, and a second sync has nothing to do', async () => {
    const ws = workspace();
    const sim = runFile(ws, FIXTURE, 'INC-402', ['--mode', 'simulate'], { DRILLBOOK_STORE: db.url });
    expect(sim.status).toBe(0);
    const runId = reportOf(onlyRunDir(ws)).runId;
    expect(await db.query('select id from runs where id = $1', [runId])).toEqual([]);
    const env = { env: { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url } };
    const sync = drillbook(['sync'], env);
    expect(sync.stderr).toBe('');
    const lines = journalEvents(onlyRunDir(ws)).length;
    expect(sync.stdout).toMatch(new RegExp(`^1 local run: 1 shipped \\(${lines} events\\), 0 already in postgres://`));
    expect(await db.query('select simulated, outcome from runs where id = $1', [runId])).toEqual([
      { simulated: true, outcome: 'simulated' },
    ]);
    expect(await db.query('select count(*)::int as n from events where run_id = $1', [runId])).toEqual([{ n: lines }]);
    const again = drillbook(['sync'], env);
    expect(again.stdout).toMatch(/^1 local run: 0 shipped \(0 events\), 1 already in /);
  });
});

/** Every form a secret could be written in, in a table's text: plain, JSON-escaped, URL-encoded. */
function forms(secret: string): string[] {
  return [secret, JSON.stringify(secret).slice(1, -1), encodeURIComponent(secret)];
}

describe('secrets never reach the store', () => {
  const SECRET = `Qz'7"Kx\\9 Wv&j=Ty/8%Rb+Lm`;
  const STORE_PASSWORD = 'store-Pw-5ecret';
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('scans every text and jsonb column of every table after a run that prints its secret in every form', async () => {
    const ws = workspace();
    // With trust authentication the URL's password is not asked for: it is here only to be looked for.
    const url = db.url.replace('postgres@', `postgres:${STORE_PASSWORD}@`);
    const r = runFile(ws, 'test/fixtures/run/secrets.yaml', 'INC-302', ['--mode', 'auto'], {
      DRILL_TOKEN: SECRET,
      OTHER_TOKEN: 'unused-other',
      DRILLBOOK_STORE: url,
    });
    expect(r.stderr).toBe('');
    const columns = await db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns
        where table_schema = 'public' and data_type in ('text', 'jsonb', 'json', 'character varying')`,
    );
    expect(columns.length).toBeGreaterThan(20);
    const events = await db.query<{ n: number }>('select count(*)::int as n from events');
    expect(events[0]?.n).toBe(journalEvents(onlyRunDir(ws)).length);
    const found: string[] = [];
    for (const { table_name: t, column_name: c } of columns) {
      for (const value of [...forms(SECRET), STORE_PASSWORD]) {
        const rows = await db.query<{ n: number }>(
          `select count(*)::int as n from ${t} where position($1 in ${c}::text) > 0`,
          [value],
        );
        if ((rows[0]?.n ?? 0) > 0) found.push(`${t}.${c}: ${value}`);
      }
    }
    expect(found).toEqual([]);
    // The masks are there: the scan looked at text that did hold the secret's place.
    const masked = await db.query<{ n: number }>(
      "select count(*)::int as n from events where payload::text like '%***%'",
    );
    expect(masked[0]?.n).toBeGreaterThan(0);
  });
});
