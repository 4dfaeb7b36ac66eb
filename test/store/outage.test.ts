import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, workspace } from '../helpers/runs.js';
import {
  ownPostgres,
  runInBackground,
  scratchDatabase,
  until,
  type OwnPostgres,
  type ScratchDatabase,
} from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/store.yaml';

describe('the store goes away in the middle of a run', () => {
  let own: OwnPostgres;
  let db: ScratchDatabase;
  beforeAll(async () => {
    own = ownPostgres(33500 + Math.floor(Math.random() * 500));
    db = await scratchDatabase({ port: own.port, password: own.password });
  }, 60_000);
  afterAll(async () => {
    await db.drop().catch(() => {});
    own.destroy();
  });

  it('the run completes, says once that the store is behind, and the store catches up exactly', async () => {
    const ws = workspace();
    const env = { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url };
    const args = ['run', 'INC-401', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'];
    const run = runInBackground(args, env);
    const runsDir = join(ws.home, 'runs');
    const journal = () => {
      const id = existsSync(runsDir) ? readdirSync(runsDir)[0] : undefined;
      return id === undefined ? undefined : join(runsDir, id, 'journal.jsonl');
    };
    const stepsDone = () => {
      const file = journal();
      return file && existsSync(file) ? (readFileSync(file, 'utf8').match(/"step-finished"/g) ?? []).length : 0;
    };
    const storedEvents = async () =>
      (await db.query<{ n: number }>('select count(*)::int as n from events'))[0]?.n ?? 0;
    // Cut the store after it has taken part of the run, while steps are still to come.
    await until(async () => stepsDone() >= 3 && (await storedEvents()) > 0, 'the first shipped events');
    own.stop();
    const stoppedAt = stepsDone();
    const r = await run.done;
    expect(r.status).toBe(0);
    expect(stoppedAt).toBeLessThan(17);
    expect(r.stdout).toContain('Verdict: RECOVERED');
    expect(r.stderr.match(/the store is behind/g)).toHaveLength(1);
    expect(r.stderr).toMatch(
      /^drillbook: the store is behind \(.*\); the run goes on, its journal is kept, and shipping is retried \(or: drillbook sync\)\n$/,
    );
    expect(r.stderr).not.toContain(own.password);

    const file = journal() ?? '';
    const lines = journalEvents(join(file, '..'));
    own.start();
    const runId = (lines[0] as { runId: string }).runId;
    const count = async () =>
      (
        await db.query<{ n: number; max: number }>(
          'select count(*)::int as n, max(seq) as max from events where run_id = $1',
          [runId],
        )
      )[0];
    expect((await count())?.n).toBeLessThan(lines.length);

    // The next run catches up in the background.
    const next = drillbook(
      ['run', 'INC-402', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
      {
        env,
      },
    );
    expect(next.status).toBe(0);
    expect(next.stderr).toBe('');
    expect(await count()).toEqual({ n: lines.length, max: lines.length });
    const stored = await db.query<{ payload: unknown }>('select payload from events where run_id = $1 order by seq', [
      runId,
    ]);
    expect(stored.map((s) => s.payload)).toEqual(lines);
    expect(await db.query('select outcome, events_seen from runs where id = $1', [runId])).toEqual([
      { outcome: 'recovered', events_seen: lines.length },
    ]);

    // Nothing left for sync; every local journal's events are in the store, once.
    const sync = drillbook(['sync'], { env });
    expect(sync.stdout).toMatch(/^2 local runs: 0 shipped \(0 events\), 2 already in /);
    for (const id of readdirSync(runsDir)) {
      const local = journalEvents(join(runsDir, id)).length;
      expect(
        await db.query('select count(*)::int as n, count(distinct seq)::int as d from events where run_id = $1', [id]),
      ).toEqual([{ n: local, d: local }]);
    }
  }, 90_000);

  it('drillbook sync ships a run made while the store was down', async () => {
    const ws = workspace();
    const env = { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url };
    own.stop();
    try {
      const r = drillbook(
        ['run', 'INC-402', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
        {
          env,
        },
      );
      expect(r.status).toBe(0);
      expect(
        r.stderr.match(/the store is behind \(the store is unreachable at 127\.0\.0\.1:\d+ \(ECONNREFUSED\)/g),
      ).toHaveLength(1);
      const down = drillbook(['sync'], { env });
      expect(down.status).toBe(1);
      expect(down.stderr).toMatch(
        /^drillbook: the store is unreachable at 127\.0\.0\.1:\d+ \(ECONNREFUSED\); postgres:\/\/postgres:\*\*\*@/,
      );
    } finally {
      own.start();
    }
    const sync = drillbook(['sync'], { env });
    expect(sync.stderr).toBe('');
    const runId = readdirSync(join(ws.home, 'runs'))[0] ?? '';
    const lines = journalEvents(join(ws.home, 'runs', runId)).length;
    expect(sync.stdout).toMatch(new RegExp(`^1 local run: 1 shipped \\(${lines} events\\), 0 already in `));
    expect(await db.query('select count(*)::int as n from events where run_id = $1', [runId])).toEqual([{ n: lines }]);
  }, 90_000);
});
