import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, createToken, startService, type Answer, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, type ScratchDatabase } from '../helpers/store.js';

const PLAYBOOK = 'playbooks/thebot-dr.yaml';
const FIXTURE = 'test/fixtures/run/service.yaml';

/** The parts of a session's answer these tests read. */
interface Session {
  id: string;
  scenario: string;
  endedAt: string | null;
  clock: { ms: number; running: boolean };
  blocks: { kind: string; phase: string | null; title: string; questions: string[] }[];
  injects: { n: number; atMs: number; text: string }[];
  next: { n: number; atMs: number } | null;
  injectsPlanned: number;
  decisions: { text: string; phase: string | null; by: string }[];
  gaps: { text: string }[];
  actions: { text: string; owner: string; due: string | null }[];
}
const session = (a: Answer) => a.body as unknown as Session;

describe('tabletop sessions over the API (seed 004)', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let base = '';
  let runner = '';
  let viewer = '';
  let id = '';
  const call = (method: string, path: string, body?: unknown, token = runner) =>
    api(base, method, path, { token, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    db = await scratchDatabase();
    runner = createToken(db.url, 'runner', 'facilitator-fay');
    viewer = createToken(db.url, 'viewer', 'observer-olu');
    serve = await startService('serve', ['-f', PLAYBOOK, '-f', FIXTURE, '--no-worker'], db.url);
    base = serve.url;
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('starts a session with the scenario, the phases and their questions, and no inject before its time', async () => {
    const started = await call('POST', '/api/tabletop/sessions', { runbook: 'thebot-dr', incident: 'INC-003' });
    expect(started.status).toBe(201);
    const s = session(started);
    id = s.id;
    expect(s.scenario).toMatch(/\S/);
    const phases = s.blocks.filter((b) => b.kind === 'phase');
    expect(phases.map((b) => b.phase)).toEqual([
      'detect',
      'verify-replica',
      'promote',
      'update-connections',
      'validate',
      'communicate',
    ]);
    expect(phases.every((b) => b.questions.length > 0)).toBe(true);
    expect(s.injects).toEqual([]);
    expect(s.injectsPlanned).toBe(4);
    // The briefing takes 9 minutes, and the runbook's first inject is 3 minutes into the incident.
    expect(s.next).toEqual({ n: 1, atMs: 12 * 60_000 });
    expect(s.clock.running).toBe(true);
    const rows = await db.query('select runbook, incident, facilitator, ended_at from tabletop_sessions');
    expect(rows).toEqual([
      { runbook: 'thebot-dr', incident: 'INC-003', facilitator: 'facilitator-fay', ended_at: null },
    ]);
  });

  it('delivers each inject when the driven clock reaches its offset, and a paused clock stands still', async () => {
    const at12 = session(await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'advance', by: '12m' }));
    expect(at12.injects.map((i) => i.n)).toEqual([1]);
    expect(at12.injects[0]?.text).toMatch(/^The replica is also lagging/);
    expect(at12.next).toEqual({ n: 2, atMs: 15 * 60_000 });

    const paused = session(await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'pause' }));
    expect(paused.clock.running).toBe(false);
    const again = session(await call('GET', `/api/tabletop/sessions/${id}`, undefined, viewer));
    expect(again.clock.ms).toBe(paused.clock.ms);
    expect(again.injects.map((i) => i.n)).toEqual([1]);

    const at15 = session(await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'advance', by: '3m' }));
    expect(at15.injects.map((i) => [i.n, i.atMs])).toEqual([
      [1, 12 * 60_000],
      [2, 15 * 60_000],
    ]);
    expect(at15.clock.ms).toBe(paused.clock.ms + 3 * 60_000);
  });

  it('records decisions, gaps and action items at the clock, in the phase the room is in', async () => {
    const d = await call('POST', `/api/tabletop/sessions/${id}/decisions`, {
      text: 'Promote the replica despite <b>10 s</b> of lag',
    });
    expect(d.status).toBe(201);
    expect(session(d).decisions).toEqual([
      expect.objectContaining({
        text: 'Promote the replica despite <b>10 s</b> of lag',
        phase: 'promote',
        by: 'facilitator-fay',
      }),
    ]);
    expect((await call('POST', `/api/tabletop/sessions/${id}/gaps`, { text: 'Nobody knew the DNS TTL' })).status).toBe(
      201,
    );
    const a = await call('POST', `/api/tabletop/sessions/${id}/actions`, {
      text: 'Document the DNS TTL in the runbook',
      owner: 'Infrastructure Lead',
      due: '2027-01-15',
    });
    expect(session(a).actions).toEqual([
      expect.objectContaining({
        text: 'Document the DNS TTL in the runbook',
        owner: 'Infrastructure Lead',
        due: '2027-01-15',
      }),
    ]);
  });

  it('ends the session; the post-drill report is rebuilt from its journal in the store', async () => {
    const ended = session(await call('POST', `/api/tabletop/sessions/${id}/end`));
    expect(ended.endedAt).not.toBeNull();
    expect(ended.next).toBeNull();
    const late = await call('POST', `/api/tabletop/sessions/${id}/decisions`, { text: 'too late' });
    expect(late.status).toBe(409);
    expect(late.body.error).toBe(`session ${id} has ended`);
    expect((await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'resume' })).status).toBe(409);

    const events = await db.query<{ type: string }>('select type from events where run_id = $1 order by seq', [id]);
    expect(events.map((e) => e.type)).toEqual([
      'session-started',
      'inject-delivered',
      'inject-delivered',
      'decision-recorded',
      'gap-recorded',
      'action-recorded',
      'session-ended',
    ]);

    const md = await call('GET', `/api/tabletop/sessions/${id}/report?format=markdown`, undefined, viewer);
    expect(md.status).toBe(200);
    expect(md.text).toContain('# DR drill report: tabletop INC-003');
    expect(md.text).toContain(
      '| 1 | Promote the replica despite \\<b>10 s\\</b> of lag | Phase 3: Promote the replica |',
    );
    expect(md.text).toContain('| 1 | Nobody knew the DNS TTL |');
    expect(md.text).toContain('| 1 | Document the DNS TTL in the runbook | Infrastructure Lead | 2027-01-15 |');
    expect(md.text).toMatch(/\| T\+0:12 \| Phase 2: [^|]+\| Inject 1 \| The replica is also lagging/);
    expect(md.text).toContain('## Injects not reached');
    expect(md.text).toContain('| Recorded | 2 of 4 injects, 1 decision, 1 gap, 1 action item |');

    const html = await call('GET', `/api/tabletop/sessions/${id}/report?format=html`, undefined, viewer);
    expect(html.text).toContain('Promote the replica despite &lt;b&gt;10 s&lt;/b&gt; of lag');
    expect(html.text).not.toContain('<b>10 s</b>');

    const audit = await db.query<{ route: string; status: number; token_name: string }>(
      'select route, status, token_name from audit where target = $1 and status < 400 order by id',
      [id],
    );
    expect(audit.map((a) => a.route)).toEqual([
      '/api/tabletop/sessions/:id/clock',
      '/api/tabletop/sessions/:id/clock',
      '/api/tabletop/sessions/:id/clock',
      '/api/tabletop/sessions/:id/decisions',
      '/api/tabletop/sessions/:id/gaps',
      '/api/tabletop/sessions/:id/actions',
      '/api/tabletop/sessions/:id/end',
    ]);
    expect(new Set(audit.map((a) => a.token_name))).toEqual(new Set(['facilitator-fay']));
  });

  it('derives injects from the budgets when the runbook has none', async () => {
    const s = session(
      await call('POST', '/api/tabletop/sessions', { runbook: 'service-fixture', incident: 'INC-501' }),
    );
    expect(s.injectsPlanned).toBeGreaterThanOrEqual(2);
    const all = session(await call('POST', `/api/tabletop/sessions/${s.id}/clock`, { action: 'advance', by: '3h' }));
    expect(all.injects.map((i) => i.text)).toEqual(
      expect.arrayContaining([
        'Alert: Test.',
        expect.stringMatching(/^Phase 1: Only phase starts: 1m on the clock\.$/),
      ]),
    );
  });

  it('refuses what it cannot take: 401, 403, 400, 404, 422, each with one line', async () => {
    const cases: [Answer, number, RegExp][] = [
      [await api(base, 'GET', `/api/tabletop/sessions/${id}`), 401, /bearer token is required/],
      [
        await call('POST', '/api/tabletop/sessions', { runbook: 'thebot-dr', incident: 'INC-003' }, viewer),
        403,
        /needs the runner role/,
      ],
      [
        await call('POST', `/api/tabletop/sessions/${id}/decisions`, { text: 'x' }, viewer),
        403,
        /needs the runner role/,
      ],
      [await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'advance' }, viewer), 403, /runner role/],
      [await call('POST', '/api/tabletop/sessions', { runbook: 'thebot-dr' }), 400, /invalid request: .*incident/],
      [
        await call('POST', '/api/tabletop/sessions', { runbook: 'thebot-dr', incident: 'INC-003', x: 1 }),
        400,
        /additional properties/,
      ],
      [await call('POST', `/api/tabletop/sessions/${id}/decisions`, { text: '   ' }), 400, /invalid request/],
      [await call('POST', `/api/tabletop/sessions/${id}/actions`, { text: 'no owner' }), 400, /owner/],
      [await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'advance' }), 400, /needs "by": a duration/],
      [
        await call('POST', `/api/tabletop/sessions/${id}/clock`, { action: 'advance', by: 'soon' }),
        400,
        /invalid request/,
      ],
      [
        await call('POST', '/api/tabletop/sessions', { runbook: 'nope', incident: 'INC-003' }),
        404,
        /no runbook "nope"/,
      ],
      [await call('GET', '/api/tabletop/sessions/no-such-session'), 404, /no tabletop session "no-such-session"/],
      [
        await call('POST', '/api/tabletop/sessions', { runbook: 'thebot-dr', incident: 'INC-999' }),
        422,
        /has no incident "INC-999"; it has INC-001/,
      ],
    ];
    for (const [answer, status, error] of cases) {
      expect(answer.status).toBe(status);
      expect(answer.body.error).toMatch(error);
      expect(answer.body.error).not.toContain('\n');
    }
  });
});
