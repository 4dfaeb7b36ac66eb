import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, ROLES, tokensByRole, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';

const FIXTURE = 'test/fixtures/run/service.yaml';

/** The fields of a schedule answer the tests read. */
interface ScheduleBody {
  id: number;
  error: string;
  runbook: string;
  incident: string;
  mode: string;
  cron: string;
  tz: string;
  enabled: boolean;
  createdBy: string;
  createdAt: string;
  lastRunAt: string | null;
  lastRequestId: string | null;
  lastStatus: string | null;
  lastVerdict: string | null;
  nextRunAt: string | null;
  schedules: { id: number }[];
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A time's wall clock in a zone: weekday, hour and minute, as a person there reads it. */
function wallClock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', {
    timeZone,
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(iso));
}

describe('drillbook serve: schedules', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  const token = {} as Record<(typeof ROLES)[number], string>;
  let base = '';
  const call = async (method: string, path: string, options: { token?: string; body?: unknown } = {}) => {
    const r = await api(base, method, path, options);
    return { status: r.status, body: r.body as unknown as ScheduleBody };
  };
  const bossSchedules = () =>
    db.query<{ name: string; cron: string; timezone: string }>(
      "select name, cron, timezone from pgboss.schedule where name like 'drillbook-schedule-%' order by name",
    );

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

  it('create, list, read, change, pause and delete, with the next run in the schedule’s time zone', async () => {
    const created = await call('POST', '/api/schedules', {
      token: token.runner,
      body: {
        runbook: 'service-fixture',
        incident: 'INC-501',
        mode: 'simulate',
        cron: '0 3 * * 1',
        tz: 'Europe/Berlin',
      },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect(created.body).toMatchObject({
      cron: '0 3 * * 1',
      tz: 'Europe/Berlin',
      enabled: true,
      createdBy: 'runner-person',
    });
    expect(created.body).toMatchObject({ lastRunAt: null, lastStatus: null });
    expect(wallClock(created.body.nextRunAt ?? '', 'Europe/Berlin')).toBe('Mon 03:00');
    expect(Date.parse(created.body.nextRunAt ?? '')).toBeGreaterThan(Date.now());
    // One pg-boss cron schedule per drillbook schedule, in its time zone.
    expect(await bossSchedules()).toEqual([
      { name: `drillbook-schedule-${id}`, cron: '0 3 * * 1', timezone: 'Europe/Berlin' },
    ]);

    const list = await call('GET', '/api/schedules', { token: token.viewer });
    expect(list.body.schedules.map((s) => s.id)).toEqual([id]);
    expect((await call('GET', `/api/schedules/${id}`, { token: token.viewer })).body.incident).toBe('INC-501');

    const changed = await call('PUT', `/api/schedules/${id}`, {
      token: token.runner,
      body: { cron: '30 4 * * *', tz: 'America/New_York' },
    });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      cron: '30 4 * * *',
      tz: 'America/New_York',
      mode: 'simulate',
      incident: 'INC-501',
    });
    expect(wallClock(changed.body.nextRunAt ?? '', 'America/New_York')).toMatch(/ 04:30$/);
    expect(await bossSchedules()).toEqual([
      { name: `drillbook-schedule-${id}`, cron: '30 4 * * *', timezone: 'America/New_York' },
    ]);

    const paused = await call('PUT', `/api/schedules/${id}`, { token: token.runner, body: { enabled: false } });
    expect(paused.body).toMatchObject({ enabled: false, nextRunAt: null });
    expect(await bossSchedules()).toEqual([]);
    await call('PUT', `/api/schedules/${id}`, { token: token.runner, body: { enabled: true } });
    expect(await bossSchedules()).toHaveLength(1);

    const deleted = await call('DELETE', `/api/schedules/${id}`, { token: token.runner });
    expect(deleted).toEqual({ status: 200, body: { id, deleted: true } });
    expect(await bossSchedules()).toEqual([]);
    const gone = await call('GET', `/api/schedules/${id}`, { token: token.viewer });
    expect(gone.status).toBe(404);
    expect(gone.body.error).toBe(`no schedule "${id}"`);
  });

  it('a bad cron or time zone is a 422 with the reason; nothing is stored', async () => {
    const body = { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate' };
    const cases: [Record<string, unknown>, number, string | RegExp][] = [
      [{ cron: '61 * * * *' }, 422, /^cron "61 \* \* \* \*" is not valid: .*59/],
      [
        { cron: '* * * *' },
        422,
        'cron "* * * *" has 4 fields; it needs 5: minute hour day-of-month month day-of-week, e.g. "0 3 * * 1"',
      ],
      [{ cron: '0 3 * * * *' }, 422, /has 6 fields; it needs 5/],
      [
        { cron: '0 3 * * *', tz: 'Mars/Olympus' },
        422,
        'unknown time zone "Mars/Olympus": use an IANA name such as UTC, Europe/Berlin, America/New_York',
      ],
      [{ cron: '0 3 * * *', incident: 'INC-999' }, 422, /has no incident "INC-999"/],
      [{ cron: '0 3 * * *', runbook: 'nope' }, 404, /no runbook "nope"/],
      [{ cron: '0 3 * * *', mode: 'chaos' }, 400, /mode/],
      [{ cron: '0 3 * * *', shell: 'rm -rf /' }, 400, /additional/],
    ];
    for (const [extra, status, error] of cases) {
      const r = await call('POST', '/api/schedules', { token: token.runner, body: { ...body, ...extra } });
      expect({ extra, status: r.status }).toEqual({ extra, status });
      expect(r.body.error).toMatch(typeof error === 'string' ? new RegExp(`^${escape(error)}$`) : error);
    }
    const ok = await call('POST', '/api/schedules', { token: token.runner, body: { ...body, cron: '0 3 * * *' } });
    const badChange = await call('PUT', `/api/schedules/${ok.body.id}`, {
      token: token.runner,
      body: { tz: 'Nowhere' },
    });
    expect(badChange.status).toBe(422);
    expect((await call('GET', `/api/schedules/${ok.body.id}`, { token: token.viewer })).body.tz).toBe('UTC');
    expect(await db.query('select id from schedules')).toHaveLength(1);
    await call('DELETE', `/api/schedules/${ok.body.id}`, { token: token.runner });
  });

  it('401 without a token and 403 below runner on every mutating schedule route; reads need viewer', async () => {
    const created = await call('POST', '/api/schedules', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate', cron: '0 3 1 1 *' },
    });
    const id = created.body.id;
    const body = { cron: '0 4 1 1 *' };
    const mutations: [string, string][] = [
      ['POST', '/api/schedules'],
      ['PUT', `/api/schedules/${id}`],
      ['DELETE', `/api/schedules/${id}`],
      ['POST', `/api/schedules/${id}/run`],
    ];
    for (const [method, path] of mutations) {
      expect({ method, path, status: (await call(method, path, { body })).status }).toEqual({
        method,
        path,
        status: 401,
      });
      const low = await call(method, path, { token: token.viewer, body });
      expect({ method, path, status: low.status }).toEqual({ method, path, status: 403 });
      expect(low.body.error).toBe('this needs the runner role; token "viewer-person" has viewer');
    }
    for (const path of ['/api/schedules', `/api/schedules/${id}`]) expect((await call('GET', path)).status).toBe(401);
    // Nothing changed, nothing fired; every refusal is audited.
    const now = await call('GET', `/api/schedules/${id}`, { token: token.viewer });
    expect(now.body).toMatchObject({ cron: '0 3 1 1 *', lastRunAt: null });
    const audit = await db.query<{ n: string }>(
      "select count(*) as n from audit where route like '/api/schedules%' and status in (401, 403)",
    );
    expect(Number(audit[0]?.n)).toBe(mutations.length * 2);
    await call('DELETE', `/api/schedules/${id}`, { token: token.runner });
  });

  it('fires now (POST …/run): a normal run, operator schedule:<id>, that finishes; the schedule shows it', async () => {
    const created = await call('POST', '/api/schedules', {
      token: token.runner,
      // Due once a year: only the request fires it.
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate', cron: '0 3 1 1 *' },
    });
    const id = created.body.id;
    const fired = await api(base, 'POST', `/api/schedules/${id}/run`, { token: token.runner });
    expect(fired.status).toBe(202);
    expect(fired.body).toMatchObject({ status: 'queued', requestedBy: `schedule:${id}` });
    const done = await runReaches(base, token.viewer, fired.body.id, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', exitCode: 0, requestedBy: `schedule:${id}` });
    expect(done.body.run).toMatchObject({ operator: `schedule:${id}`, incident: 'INC-501', mode: 'simulate' });
    const after = await call('GET', `/api/schedules/${id}`, { token: token.viewer });
    expect(after.body).toMatchObject({ lastRequestId: fired.body.id, lastStatus: 'finished' });
    expect(after.body.lastVerdict).toBe(done.body.run.verdict);
    expect(Date.parse(after.body.lastRunAt ?? '')).toBeGreaterThan(Date.parse(created.body.createdAt));
    await call('DELETE', `/api/schedules/${id}`, { token: token.runner });
  });

  it("pg-boss's own cron fires a schedule that is due every minute, through the schedule's queue", async () => {
    // pg-boss fires a cron whose last due time is under a minute old; "* * * * *" always is, so its next cron
    // check (every 5 s here) fires it: no waiting for a wall-clock minute.
    const created = await call('POST', '/api/schedules', {
      token: token.runner,
      body: { runbook: 'service-fixture', incident: 'INC-501', mode: 'simulate', cron: '* * * * *' },
    });
    const id = created.body.id;
    let requestId = '';
    await until(
      async () => {
        requestId = (await call('GET', `/api/schedules/${id}`, { token: token.viewer })).body.lastRequestId ?? '';
        return requestId !== '';
      },
      'the cron to fire',
      60_000,
    );
    const jobs = await db.query<{ n: string }>('select count(*) as n from pgboss.job where name = $1', [
      `drillbook-schedule-${id}`,
    ]);
    expect(Number(jobs[0]?.n)).toBeGreaterThanOrEqual(1);
    // Paused at once: one firing is what this test needs.
    await call('PUT', `/api/schedules/${id}`, { token: token.runner, body: { enabled: false } });
    const done = await runReaches(base, token.viewer, requestId, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', requestedBy: `schedule:${id}` });
    expect(done.body.run).toMatchObject({ operator: `schedule:${id}` });
    const rows = await db.query<{ schedule_id: string }>('select schedule_id from service_runs where id = $1', [
      requestId,
    ]);
    expect(rows).toEqual([{ schedule_id: String(id) }]);
    await call('DELETE', `/api/schedules/${id}`, { token: token.runner });
  });

  it('the OpenAPI document lists the schedule and alert routes with their schemas and roles', async () => {
    const doc = await api(base, 'GET', '/openapi.json');
    const paths = doc.body.paths;
    expect(paths['/api/schedules']?.post?.requestBody.content['application/json']?.schema.required).toEqual([
      'runbook',
      'incident',
      'mode',
      'cron',
    ]);
    expect(paths['/api/schedules/{id}/run']?.post?.['x-role']).toBe('runner');
    expect(paths['/api/alerts/check']?.post?.['x-role']).toBe('admin');
    expect(paths['/api/alerts']?.get?.['x-role']).toBe('viewer');
  });
});
