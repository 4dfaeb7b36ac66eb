import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createToken, readSse, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/service.yaml';

describe('SSE: the readers of one run share its feed', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let runner = '';
  let viewer = '';
  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'runner-person');
    viewer = createToken(db.url, 'viewer', 'viewer-person');
    serve = await startService('serve', ['-f', FIXTURE], db.url);
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('many readers at once, one leaving early and one joining late with Last-Event-ID: each gets every line once, in order', async () => {
    const long = `${3 + Math.floor(Math.random() * 2)}`;
    const start = await api(serve.url, 'POST', '/api/runs', {
      token: runner,
      body: { runbook: 'service-fixture', incident: 'INC-502', mode: 'auto', vars: { long } },
    });
    const path = `/api/runs/${start.body.id}/events`;
    const readers = Array.from({ length: 8 }, () => readSse(serve.url, path, viewer));
    // One reader gives up after its first event: the others' stream goes on.
    const leaving = new AbortController();
    const left = fetch(`${serve.url}${path}`, {
      headers: { authorization: `Bearer ${viewer}`, accept: 'text/event-stream' },
      signal: leaving.signal,
    }).then(async (response) => {
      const reader = response.body?.getReader();
      await reader?.read();
      leaving.abort();
    });
    await runReaches(serve.url, viewer, start.body.id, ['running']);
    const stored = async () =>
      db.query<{ seq: number }>(
        'select seq from events where run_id = (select run_id from service_runs where id = $1)',
        [start.body.id],
      );
    await until(async () => (await stored()).length >= 3, 'the run to have its first events in the store');
    const late = readSse(serve.url, path, viewer, 2);
    const streams = await Promise.all(readers);
    await left.catch(() => {});
    const lateStream = await late;
    const seqs = (await stored()).map((e) => e.seq).sort((a, b) => a - b);
    expect(seqs.length).toBeGreaterThan(5);
    for (const s of streams) expect(s.map((e) => e.id)).toEqual(seqs);
    expect(lateStream.map((e) => e.id)).toEqual(seqs.filter((n) => n > 2));
    expect(streams[0]?.at(-1)?.event).toBe('run-finished');
  }, 60_000);
});
