import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { runFile, workspace } from '../helpers/runs.js';
import { scratchDatabase, type ScratchDatabase } from '../helpers/store.js';
import type { StatsRow as Stats } from '../../src/report/history-stats.js';

const FIXTURE = 'test/fixtures/run/verdict.yaml';

describe('local history and the store agree on the same runs', () => {
  let db: ScratchDatabase;
  const ws = workspace();
  beforeAll(async () => {
    db = await scratchDatabase();
    const run = (incident: string, mode = 'auto') => {
      const r = runFile(ws, FIXTURE, incident, ['--mode', mode], { DRILLBOOK_STORE: db.url });
      if (r.stderr !== '') throw new Error(`run ${incident} said: ${r.stderr}`);
    };
    // Within target three times (a p95 between ranks), late, too much data lost, a failed check, and a simulation.
    for (const incident of ['INC-201', 'INC-201', 'INC-201', 'INC-202', 'INC-203', 'INC-204']) run(incident);
    run('INC-201', 'simulate');
    const sync = drillbook(['sync'], { env: { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url } });
    if (sync.status !== 0) throw new Error(`sync failed: ${sync.stderr}`);
  }, 120_000);
  afterAll(async () => {
    await db.drop();
  });

  const local = (args: string[]) =>
    drillbook(['history', '--json', ...args], { env: { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: '' } });
  const store = (args: string[]) =>
    drillbook(['history', '--json', '--store', db.url, ...args], { env: { DRILLBOOK_HOME: ws.dir } });

  it('per incident: success rate, recovered, RTO and RPO met and missed, p50/mean/p95 time to recover, data loss, outcomes', () => {
    const l = JSON.parse(local([]).stdout) as { stats: Stats[]; overall: { realRuns: number } };
    const s = JSON.parse(store([]).stdout) as { incidents: Stats[]; stats: Stats[] };
    expect(l.overall.realRuns).toBe(6);
    expect(s.incidents).toEqual(l.stats);
    expect(s.stats).toEqual(l.stats);
    const inc201 = s.incidents.find((x) => x.incident === 'INC-201');
    expect(inc201).toMatchObject({
      realRuns: 3,
      succeeded: 3,
      successRate: 100,
      recovered: 3,
      rtoMet: 3,
      rtoMissed: 0,
      rpoMet: 3,
      simulations: 1,
      outcomes: { recovered: 3, simulated: 1 },
    });
    expect(inc201?.p95TtrMs).not.toBeNull();
    expect(inc201?.p50TtrMs).not.toBeNull();
    expect(s.incidents.find((x) => x.incident === 'INC-202')).toMatchObject({ recovered: 1, rtoMet: 0, rtoMissed: 1 });
    expect(s.incidents.find((x) => x.incident === 'INC-203')).toMatchObject({ rtoMet: 1, rpoMet: 0, rpoMissed: 1 });
    expect(s.incidents.find((x) => x.incident === 'INC-204')).toMatchObject({
      realRuns: 1,
      succeeded: 0,
      successRate: 0,
      recovered: 0,
      rtoMissed: 1,
      meanTtrMs: null,
      p50TtrMs: null,
      p95TtrMs: null,
      outcomes: { failed: 1 },
    });
  });

  it.each(['day', 'week', 'month'])('per %s', (period) => {
    const l = JSON.parse(local(['--period', period]).stdout) as { stats: Stats[] };
    const s = JSON.parse(store(['--period', period]).stdout) as { stats: Stats[] };
    expect(s.stats.length).toBeGreaterThan(0);
    expect(s.stats.every((x) => /^\d{4}-\d{2}-\d{2}$/.test(x.period ?? ''))).toBe(true);
    expect(s.stats).toEqual(l.stats);
  });

  it('with filters, and as text', () => {
    const args = ['--incident', 'INC-201', '--mode', 'auto'];
    expect((JSON.parse(store(args).stdout) as { stats: Stats[] }).stats).toEqual(
      (JSON.parse(local(args).stdout) as { stats: Stats[] }).stats,
    );
    const text = drillbook(['history', '--period', 'month', '--store', db.url]);
    expect(text.stdout).toMatch(
      /^store postgres:\/\/postgres@127\.0\.0\.1:5432\/drillbook_store_\w+: 6 real runs, 1 simulation\n/,
    );
    expect(text.stdout).toContain('P95 TTR');
    expect(text.stdout).toMatch(/verdict-fixture\s+INC-201\s+3\s+3\/3 \(100%\)/);
    expect(text.stdout).toMatch(/\nper month:\nRUNBOOK\s+INCIDENT\s+PERIOD/);
  });

  it('runs lists the same runs from the store as from the journals', () => {
    type Listing = { runs: { runId: string; outcome: string; verdict: string }[] };
    const fromStore = JSON.parse(drillbook(['runs', '--json', '--store', db.url]).stdout) as Listing;
    const fromJournals = JSON.parse(
      drillbook(['runs', '--json'], { env: { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: '' } }).stdout,
    ) as Listing;
    const strip = (l: Listing) => l.runs.map(({ runId, outcome, verdict }) => ({ runId, outcome, verdict }));
    expect(strip(fromStore)).toEqual(strip(fromJournals));
    expect(fromStore.runs).toHaveLength(7);
  });
});
