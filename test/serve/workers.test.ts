import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMatching } from '../helpers/processes.js';
import { api, createToken, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/service.yaml';

/** The run directories each request got in a worker's data dir: request id → run ids. */
function runsIn(dataDir: string): Map<string, string[]> {
  const jobs = join(dataDir, 'jobs');
  const out = new Map<string, string[]>();
  for (const id of readdirSync(jobs, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name))
    out.set(id, readdirSync(join(jobs, id, 'runs')));
  return out;
}

function dataDirOf(p: ServiceProcess): string {
  const args = p.child.spawnargs;
  return args[args.indexOf('--data-dir') + 1] ?? '';
}

describe('drillbook worker: separate processes sharing one queue', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  const workers: ServiceProcess[] = [];
  let runner = '';
  let viewer = '';
  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'ci');
    viewer = createToken(db.url, 'viewer', 'dashboard');
    serve = await startService('serve', ['-f', FIXTURE, '--no-worker'], db.url);
    for (let i = 0; i < 2; i += 1) workers.push(await startService('worker', ['--concurrency', '2'], db.url));
  });
  afterAll(async () => {
    for (const w of workers) await w.stop();
    await serve?.stop();
    await db?.drop();
  });

  it('ten queued simulate runs are each run exactly once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const r = await api(serve.url, 'POST', '/api/runs', {
        token: runner,
        body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate' },
      });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    for (const id of ids) {
      const done = await runReaches(serve.url, viewer, id, ['finished', 'failed', 'interrupted', 'cancelled']);
      expect(done.body.request.status).toBe('finished');
    }
    const byWorker = workers.map((w) => runsIn(dataDirOf(w)));
    const taken = byWorker.flatMap((m) => [...m.entries()]);
    expect(taken.map(([id]) => id).sort()).toEqual([...ids].sort());
    for (const [, runs] of taken) expect(runs).toHaveLength(1);
    const stored = await db.query<{ id: string }>("select id from runs where incident = 'INC-501'");
    expect(stored.map((r) => r.id).sort()).toEqual(taken.map(([, runs]) => runs[0]).sort());
    const jobs = await db.query<{ state: string; retry_count: number }>(
      "select state, retry_count from pgboss.job where name = 'drillbook-run'",
    );
    expect(jobs).toHaveLength(10);
    for (const job of jobs) expect(job).toEqual({ state: 'completed', retry_count: 0 });
  }, 180_000);

  it('a worker killed mid-run leaves its run interrupted, and the run is not re-run', async () => {
    const long = `${1600 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const start = await api(serve.url, 'POST', '/api/runs', {
      token: runner,
      body: { runbook: 'service-fixture', incident: 'INC-502', mode: 'auto', vars: { long } },
    });
    await until(() => processesMatching(`sleep ${long}`).length >= 3, 'the long step to be running', 60_000);
    const running = await runReaches(serve.url, viewer, start.body.id, ['running']);
    const pid = Number(running.body.request.worker.split(':').at(-1));
    const victim = workers.find((w) => w.child.pid === pid);
    expect(victim).toBeDefined();
    victim?.child.kill('SIGKILL');
    const done = await runReaches(serve.url, viewer, start.body.id, ['interrupted', 'finished', 'failed', 'cancelled']);
    expect(done.body.request.status).toBe('interrupted');
    expect(done.body.request.error).toContain('not re-run');
    expect(processesMatching(`sleep ${long}`)).toEqual([]);
    const finished = await db.query<{ payload: { outcome: string; reason: string } }>(
      "select payload from events where run_id = $1 and type = 'run-finished'",
      [done.body.request.runId],
    );
    expect(finished.map((f) => f.payload.outcome)).toEqual(['interrupted']);
    expect(finished[0]?.payload.reason).toMatch(/^hung up/);
    const steps = await db.query<{ step: string; status: string }>(
      'select step, status from step_results where run_id = $1 order by seq',
      [done.body.request.runId],
    );
    expect(steps.find((s) => s.step === 'long')?.status).toBe('unknown');
    // The surviving worker, free to take work, does not take this one: one run for the request, ever.
    const other = workers.find((w) => w !== victim) as ServiceProcess;
    const check = await api(serve.url, 'POST', '/api/runs', {
      token: runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate' },
    });
    await runReaches(serve.url, viewer, check.body.id, ['finished']);
    expect(runsIn(dataDirOf(other)).has(start.body.id)).toBe(false);
    const runs = await db.query("select id from runs where incident = 'INC-502'");
    expect(runs).toHaveLength(1);
    const job = await db.query<{ retry_count: number }>('select retry_count from pgboss.job where id = $1', [
      start.body.id,
    ]);
    expect(job).toEqual([{ retry_count: 0 }]);
  }, 180_000);
});
