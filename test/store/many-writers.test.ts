import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { journalEvents, workspace } from '../helpers/runs.js';
import { runInBackground, scratchDatabase, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/store.yaml';

describe('four runners write to one store at once', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('loses and duplicates no event, gives every run its own id, and history counts them all', async () => {
    // Two runners share a home (two terminals on one machine: each one's catch-up meets the other's live
    // journal); two have homes of their own (other machines). None has migrated the store before.
    const shared = workspace();
    const homes = [shared, shared, workspace(), workspace()];
    const runs = homes.map((ws, i) =>
      runInBackground(
        ['run', 'INC-401', '-f', FIXTURE, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain'],
        { DRILLBOOK_HOME: ws.home, DRILLBOOK_STORE: db.url, USER: `runner-${i}` },
      ),
    );
    const results = await Promise.all(runs.map((r) => r.done));
    for (const r of results) {
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
    }
    const journals = [...new Set(homes.map((ws) => ws.home))].flatMap((home) =>
      readdirSync(join(home, 'runs')).map((id) => ({ id, events: journalEvents(join(home, 'runs', id)) })),
    );
    expect(journals).toHaveLength(4);
    expect(new Set(journals.map((j) => j.id)).size).toBe(4);
    const stored = await db.query<{ id: string; operator: string; outcome: string; events_seen: number }>(
      'select id, operator, outcome, events_seen from runs order by operator',
    );
    expect(stored.map((s) => s.operator)).toEqual(['runner-0', 'runner-1', 'runner-2', 'runner-3']);
    for (const j of journals) {
      const counts = await db.query(
        'select count(*)::int as n, count(distinct seq)::int as d, max(seq) as max from events where run_id = $1',
        [j.id],
      );
      expect({ id: j.id, ...counts[0] }).toEqual({
        id: j.id,
        n: j.events.length,
        d: j.events.length,
        max: j.events.length,
      });
      const payloads = await db.query<{ payload: unknown }>(
        'select payload from events where run_id = $1 order by seq',
        [j.id],
      );
      expect(payloads.map((p) => p.payload)).toEqual(j.events);
      // The verdict row is the finished run's, never an earlier catch-up's look at it.
      expect(stored.find((s) => s.id === j.id)).toMatchObject({ outcome: 'recovered', events_seen: j.events.length });
    }
    const history = drillbook(['history', '--json'], { env: { DRILLBOOK_STORE: db.url } });
    expect(history.stderr).toBe('');
    const stats = (
      JSON.parse(history.stdout) as { incidents: { incident: string; realRuns: number; succeeded: number }[] }
    ).incidents;
    expect(stats).toMatchObject([{ incident: 'INC-401', realRuns: 4, succeeded: 4 }]);
    // Four first uses of an empty store migrated it once.
    expect(await db.query('select count(*)::int as n from drillbook_schema_version where version = 1')).toEqual([
      { n: 1 },
    ]);
  }, 120_000);
});
