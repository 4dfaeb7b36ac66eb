import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processesMatching } from '../helpers/processes.js';
import {
  api,
  ROLES,
  tokensByRole,
  readSse,
  runReaches,
  startService,
  type ServiceProcess,
} from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/service.yaml';

describe('drillbook serve: the API on a scratch store', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  const token = {} as Record<(typeof ROLES)[number], string>;
  let base = '';
  beforeAll(async () => {
    db = await scratchDatabase();
    Object.assign(token, tokensByRole(db.url));
    serve = await startService('serve', ['-f', FIXTURE, '--concurrency', '2'], db.url);
    base = serve.url;
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('serves /health and /openapi.json without a token, and only hashes of tokens are stored', async () => {
    expect((await api(base, 'GET', '/health')).body).toEqual({ ok: true });
    const doc = await api(base, 'GET', '/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining(['/api/runs', '/api/runs/{id}/cancel', '/api/runbooks', '/api/incidents', '/api/stats']),
    );
    expect(doc.body.paths['/api/runs']?.post?.requestBody.content['application/json']?.schema.required).toEqual([
      'runbook',
      'incident',
      'mode',
    ]);
    const stored = await db.query<{ sha256: string; name: string }>('select sha256, name from api_tokens');
    expect(stored).toHaveLength(4);
    const tables = JSON.stringify(await db.query('select * from api_tokens'));
    for (const role of ROLES) expect(tables).not.toContain(token[role]);
  });

  it('401 without or with a bad token and 403 below the role, on every route of the OpenAPI document', async () => {
    const doc = (await api(base, 'GET', '/openapi.json')).body as {
      paths: Record<string, Record<string, { 'x-role'?: string }>>;
    };
    const operations = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops).map(([method, op]) => ({ path: path.replace(/\{[^}]+\}/g, 'some-id'), method, op })),
    );
    // No mutation without a role: the document lists what is public, and it is only reads.
    const open = operations.filter((o) => o.op['x-role'] === undefined).map((o) => `${o.method} ${o.path}`);
    expect(open.sort()).toEqual(['get /health', 'get /openapi.json']);
    expect(operations.filter((o) => o.method !== 'get').length).toBeGreaterThanOrEqual(3);
    for (const { path, method, op } of operations.filter((o) => o.op['x-role'] !== undefined)) {
      const what = `${method} ${path}`;
      const none = await api(base, method.toUpperCase(), path, { body: method === 'get' ? undefined : {} });
      expect({ what, status: none.status }).toEqual({ what, status: 401 });
      expect(none.body.error).toMatch(/bearer token is required/);
      const bad = await api(base, method.toUpperCase(), path, {
        token: 'dbk_not-a-token',
        body: method === 'get' ? undefined : {},
      });
      expect({ what, status: bad.status }).toEqual({ what, status: 401 });
      const need = ROLES.indexOf(op['x-role'] as (typeof ROLES)[number]);
      expect({ what, known: need >= 0 }).toEqual({ what, known: true });
      for (const role of ROLES.slice(0, need)) {
        const low = await api(base, method.toUpperCase(), path, {
          token: token[role],
          body: method === 'get' ? undefined : {},
        });
        expect({ what, role, status: low.status }).toEqual({ what, role, status: 403 });
        expect(low.body.error).toContain(`needs the ${op['x-role']} role`);
      }
    }
    const audit = await db.query<{ token_name: string | null; method: string; status: number }>(
      'select token_name, method, route, status from audit where status in (401, 403)',
    );
    expect(audit.some((a) => a.status === 403 && a.token_name === 'viewer-person' && a.method === 'POST')).toBe(true);
    expect(audit.some((a) => a.status === 401 && a.token_name === null)).toBe(true);
  });

  it('refuses bad input with a 4xx and a JSON error', async () => {
    const bad = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'chaos' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/mode/);
    const extra = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'x', incident: 'y', mode: 'auto', rm: true },
    });
    expect(extra.status).toBe(400);
    const noIncident = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-999', mode: 'auto' },
    });
    expect(noIncident.status).toBe(422);
    expect(noIncident.body.error).toBe('runbook "service-fixture" has no incident "INC-999"; it has INC-501, INC-502');
    const noRunbook = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'nope', incident: 'INC-1', mode: 'auto' },
    });
    expect(noRunbook.status).toBe(404);
    const since = await api(base, 'GET', '/api/runs?since=yesterday', { token: token.viewer });
    expect(since.status).toBe(400);
    const big = await api(base, 'POST', '/api/runbooks', {
      token: token.admin,
      body: { name: 'big', text: 'x'.repeat(2 * 1024 * 1024) },
    });
    expect(big.status).toBe(413);
    expect(typeof big.body.error).toBe('string');
    expect((await api(base, 'GET', '/api/nothing', { token: token.viewer })).status).toBe(404);
  });

  it('an uploaded runbook is validated on the way in: 422 with the located problems of drillbook validate', async () => {
    const text = readFileSync(FIXTURE, 'utf8').replace('budget: 1m', 'budget: soon');
    const r = await api(base, 'POST', '/api/runbooks', { token: token.admin, body: { name: 'broken.yaml', text } });
    expect(r.status).toBe(422);
    expect(r.body.error).toMatch(/^invalid runbook broken\.yaml: \d+ problems?$/);
    const line = text.split('\n').findIndex((l) => l.includes('budget: soon')) + 1;
    expect(r.body.lines[0]).toMatch(new RegExp(`^broken\\.yaml:${line}:\\d+: `));
    expect(r.body.diagnostics[0]).toMatchObject({ file: 'broken.yaml', line });
    const good = await api(base, 'POST', '/api/runbooks', {
      token: token.admin,
      body: { name: 'copy.yaml', text: readFileSync(FIXTURE, 'utf8') },
    });
    expect(good.status).toBe(201);
    expect(good.body).toMatchObject({ name: 'service-fixture', incidents: 2, registeredBy: 'admin-person' });
    const incidents = await api(base, 'GET', '/api/incidents', { token: token.viewer });
    expect(incidents.body.incidents.map((i: { id: string }) => i.id)).toEqual(['INC-501', 'INC-502']);
  });

  it('a simulate run from start to finish: queued, run by the worker, in the store, with its report and stats', async () => {
    const start = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate' },
    });
    expect(start.status).toBe(202);
    expect(start.body.status).toBe('queued');
    const done = await runReaches(base, token.viewer, start.body.id, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', exitCode: 0, requestedBy: 'runner-person' });
    expect(done.body.run).toMatchObject({
      mode: 'simulate',
      simulated: true,
      incident: 'INC-501',
      operator: 'runner-person',
    });
    const runId = done.body.request.runId;
    const steps = await api(base, 'GET', `/api/runs/${runId}/steps`, { token: token.viewer });
    expect(steps.body.steps.map((s: { step: string }) => s.step)).toEqual(['first', 'wait', 'last']);
    const md = await api(base, 'GET', `/api/runs/${start.body.id}/report?format=markdown`, { token: token.viewer });
    expect(md.status).toBe(200);
    expect(md.text).toContain(`# Run report: INC-501 A short recovery`);
    expect(md.text).toContain(runId);
    const json = await api(base, 'GET', `/api/runs/${runId}/report?format=json`, { token: token.viewer });
    expect(json.body).toMatchObject({ runId, mode: 'simulate' });
    const html = await api(base, 'GET', `/api/runs/${runId}/report?format=html`, { token: token.viewer });
    expect(html.text).toMatch(/^<!doctype html>/i);
    const stats = await api(base, 'GET', '/api/stats?period=week', { token: token.viewer });
    expect(stats.body.stats).toEqual([
      expect.objectContaining({ runbook: 'service-fixture', incident: 'INC-501', simulations: 1, realRuns: 0 }),
    ]);
    const listed = await api(base, 'GET', '/api/runs?incident=INC-501&mode=simulate', { token: token.viewer });
    expect(listed.body.runs.map((r: { runId: string }) => r.runId)).toContain(runId);
    const audit = await db.query(
      'select token_name, role, method, route, target, status from audit where route = $1 and status = 202',
      ['/api/runs'],
    );
    expect(audit).toEqual([
      { token_name: 'runner-person', role: 'runner', method: 'POST', route: '/api/runs', target: null, status: 202 },
    ]);
  });

  it('SSE delivers every journal event in order, and resumes after Last-Event-ID with no gap and no repeat', async () => {
    const start = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'auto' },
    });
    // Opened while the run is queued or running: the stream follows it live and ends when it is done.
    const live = await readSse(base, `/api/runs/${start.body.id}/events`, token.viewer);
    const done = await runReaches(base, token.viewer, start.body.id, ['finished']);
    const stored = await db.query<{ seq: number; payload: unknown }>(
      'select seq, payload from events where run_id = $1 order by seq',
      [done.body.request.runId],
    );
    expect(live.map((e) => e.id)).toEqual(stored.map((e) => e.seq));
    expect(live.map((e) => e.data)).toEqual(stored.map((e) => e.payload));
    expect(live.map((e) => e.event)).toEqual(stored.map((e) => (e.payload as { type: string }).type));
    expect(live[0]?.event).toBe('run-started');
    expect(live.some((e) => e.event === 'run-finished')).toBe(true);
    const cut = Math.floor(live.length / 2);
    const rest = await readSse(base, `/api/runs/${start.body.id}/events`, token.viewer, cut);
    expect(rest.map((e) => e.id)).toEqual(stored.slice(cut).map((e) => e.seq));
    const plain = await api(base, 'GET', `/api/runs/${start.body.id}/events`, { token: token.viewer });
    expect(plain.body.events.map((e: { seq: number }) => e.seq)).toEqual(stored.map((e) => e.seq));
  });

  it('an auto run cancelled mid-step: the step’s process group is stopped, the journal finished, no process left', async () => {
    const long = `${600 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const start = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-502', mode: 'auto', vars: { long } },
    });
    expect(start.status).toBe(202);
    await until(() => processesMatching(`sleep ${long}`).length >= 3, 'the long step to be running', 60_000);
    const cancel = await api(base, 'POST', `/api/runs/${start.body.id}/cancel`, { token: token.runner });
    expect(cancel.status).toBe(202);
    const done = await runReaches(base, token.viewer, start.body.id, [
      'cancelled',
      'finished',
      'interrupted',
      'failed',
    ]);
    expect(done.body.request.status).toBe('cancelled');
    expect(done.body.request.exitCode).toBe(130);
    expect(processesMatching(`sleep ${long}`)).toEqual([]);
    const finished = await db.query<{ payload: { outcome: string; reason: string } }>(
      "select payload from events where run_id = $1 and type = 'run-finished'",
      [done.body.request.runId],
    );
    expect(finished).toHaveLength(1);
    expect(finished[0]?.payload.reason).toContain('SIGINT');
    const steps = await api(base, 'GET', `/api/runs/${start.body.id}/steps`, { token: token.viewer });
    expect(steps.body.steps.map((s: { step: string }) => s.step)).toContain('long');
    expect(steps.body.steps.map((s: { step: string }) => s.step)).not.toContain('after');
    const again = await api(base, 'POST', `/api/runs/${start.body.id}/cancel`, { token: token.runner });
    expect(again.status).toBe(409);
  }, 120_000);

  it('no token appears in any answer, the service output or the store', async () => {
    const dump =
      JSON.stringify(await db.query('select * from audit')) +
      JSON.stringify(await db.query('select * from service_runs')) +
      serve.output();
    for (const role of ROLES) expect(dump).not.toContain(token[role]);
  });

  it('SIGTERM: serve stops taking work, interrupts the running run through its journal, and exits', async () => {
    const long = `${2600 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const start = await api(base, 'POST', '/api/runs', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-502', mode: 'auto', vars: { long } },
    });
    await until(() => processesMatching(`sleep ${long}`).length >= 3, 'the long step to be running', 60_000);
    expect(await serve.stop()).toBe(0);
    expect(processesMatching(`sleep ${long}`)).toEqual([]);
    const [request] = await db.query<{ status: string; run_id: string; exit_code: number }>(
      'select status, run_id, exit_code from service_runs where id = $1',
      [start.body.id],
    );
    expect(request).toMatchObject({ status: 'interrupted', exit_code: 143 });
    const finished = await db.query<{ payload: { outcome: string; reason: string } }>(
      "select payload from events where run_id = $1 and type = 'run-finished'",
      [request?.run_id],
    );
    expect(finished.map((f) => f.payload)).toEqual([
      expect.objectContaining({ outcome: 'interrupted', reason: 'interrupted by SIGTERM' }),
    ]);
    expect(serve.output()).toContain('SIGTERM: stopping');
  }, 120_000);
});
