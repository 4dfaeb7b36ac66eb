import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { api, createToken, runReaches, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, until, type ScratchDatabase } from '../helpers/store.js';
import type { ApprovalView } from '../../src/store/approval-rows.js';

const FIXTURE = 'test/fixtures/run/approvals.yaml';

type Approval = ApprovalView;

describe('drillbook serve: two-person approvals', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let base = '';
  // carol may approve in general (approver role), but never a run she started.
  const token: Record<'carol' | 'dana' | 'erin' | 'frank' | 'vera' | 'rita', string> = {
    carol: '',
    dana: '',
    erin: '',
    frank: '',
    vera: '',
    rita: '',
  };
  beforeAll(async () => {
    db = await scratchDatabase();
    for (const name of ['carol', 'dana', 'erin', 'frank'] as const) token[name] = createToken(db.url, 'approver', name);
    token.vera = createToken(db.url, 'viewer', 'vera');
    token.rita = createToken(db.url, 'runner', 'rita');
    serve = await startService('serve', ['-f', FIXTURE, '--concurrency', '2'], db.url);
    base = serve.url;
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  /** An auto run of INC-501 started by carol, and its approval once the run waits for it. */
  async function waitingRun(): Promise<{ id: string; dir: string; approval: Approval }> {
    const dir = mkdtempSync(join(tmpdir(), 'drillbook-approve-'));
    const started = await api(base, 'POST', '/api/runs', {
      token: token.carol,
      body: { runbook: 'approvals-fixture', incident: 'INC-501', mode: 'auto', vars: { dir } },
    });
    expect(started.status).toBe(202);
    const id = started.body.id;
    let approval: Approval | undefined;
    await until(
      async () => {
        const inbox = await api(base, 'GET', '/api/approvals?status=pending', { token: token.vera });
        approval = (inbox.body as unknown as { approvals: Approval[] }).approvals.find((a) => a.requestId === id);
        return approval !== undefined;
      },
      'the run to wait for approval',
      60_000,
    );
    return { id, dir, approval: approval as Approval };
  }

  function decide(who: string, id: string, body: Record<string, unknown>) {
    return api(base, 'POST', `/api/runs/${id}/approvals`, { ...(who ? { token: who } : {}), body });
  }

  it('an auto run waits; the starter and others are refused; a second approver grants it and the run finishes', async () => {
    const { id, dir, approval } = await waitingRun();
    expect(approval).toMatchObject({
      requestId: id,
      incident: 'INC-501',
      runbook: 'approvals-fixture',
      stepId: 'promote-replica',
      stepTitle: 'Promote the replica',
      command: `touch ${dir}/promoted`,
      why: 'Promotion splits the cluster; a second engineer checks the replica lag first',
      approvers: ['dana', 'erin'],
      requestedBy: 'carol',
      status: 'pending',
      decidedBy: null,
      decidedAt: null,
      comment: null,
    });
    expect(Date.parse(approval.deadline) - Date.parse(approval.requestedAt)).toBe(120_000);
    const shown = await api(base, 'GET', `/api/runs/${id}`, { token: token.vera });
    expect(shown.body.request.status).toBe('running');
    expect((shown.body as unknown as { approvals: Approval[] }).approvals).toMatchObject([{ status: 'pending' }]);
    expect(existsSync(join(dir, 'promoted'))).toBe(false);

    const grant = { step: 'promote-replica', decision: 'grant', comment: 'lag is 0' };
    const own = await decide(token.carol, id, grant);
    expect(own.status).toBe(403);
    expect(own.body.error).toBe(
      'carol started this run and cannot approve its own step "promote-replica": a second person must decide',
    );
    const notListed = await decide(token.frank, id, grant);
    expect(notListed.status).toBe(403);
    expect(notListed.body.error).toBe('frank may not decide step "promote-replica": only dana, erin may');
    expect((await decide(token.vera, id, grant)).status).toBe(403);
    expect((await decide(token.rita, id, grant)).status).toBe(403);
    expect((await decide('', id, grant)).status).toBe(401);
    const noRun = await decide(token.dana, 'no-such-run', grant);
    expect(noRun.status).toBe(404);
    expect(noRun.body.error).toBe('no run "no-such-run" in the store');
    const noStep = await decide(token.dana, id, { step: 'before', decision: 'grant' });
    expect(noStep.status).toBe(404);
    expect((await decide(token.dana, id, { step: 'promote-replica', decision: 'maybe' })).status).toBe(400);

    const granted = await decide(token.dana, id, grant);
    expect(granted.status).toBe(200);
    expect((granted.body as unknown as { approval: Approval }).approval).toMatchObject({
      status: 'granted',
      decidedBy: 'dana',
      comment: 'lag is 0',
      requestId: id,
    });
    const twice = await decide(token.erin, approval.runId, grant);
    expect(twice.status).toBe(409);
    expect(twice.body.error).toBe('the approval of step "promote-replica" is granted, not pending');

    const done = await runReaches(base, token.vera, id, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', exitCode: 0 });
    expect(existsSync(join(dir, 'promoted'))).toBe(true);
    const events = await api(base, 'GET', `/api/runs/${id}/events`, { token: token.vera });
    const types = (events.body as unknown as { events: { type: string }[] }).events.map((e) => e.type);
    expect(types).toEqual(expect.arrayContaining(['approval-requested', 'approval-granted']));
    expect(types.indexOf('approval-granted')).toBeLessThan(types.lastIndexOf('step-started'));

    const audit = await db.query<{ token_name: string | null; status: number }>(
      "select token_name, status from audit where route = '/api/runs/:id/approvals' and target = $1 order by id",
      [id],
    );
    expect(audit.map((a) => `${a.token_name ?? '-'} ${a.status}`)).toEqual([
      'carol 403',
      'frank 403',
      'vera 403',
      'rita 403',
      '- 401',
      'dana 404',
      'dana 400',
      'dana 200',
    ]);
    const granted2 = await api(base, 'GET', '/api/approvals?status=granted', { token: token.vera });
    expect((granted2.body as unknown as { approvals: Approval[] }).approvals.map((a) => a.requestId)).toContain(id);
  });

  it('drillbook approve --store decides a service run as the API does, refusing its starter', async () => {
    const { id, dir } = await waitingRun();
    const approveAs = (name: string) =>
      drillbook(['approve', id, 'promote-replica', '--as', name, '--comment', 'checked', '--store', db.url]);
    const own = approveAs('carol');
    expect(own.status).toBe(1);
    expect(own.stderr).toBe(
      'drillbook: carol started this run and cannot approve its own step "promote-replica": a second person must decide\n',
    );
    const granted = approveAs('erin');
    expect(granted.stderr).toBe('');
    expect(granted.status).toBe(0);
    const done = await runReaches(base, token.vera, id, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', exitCode: 0 });
    expect(existsSync(join(dir, 'promoted'))).toBe(true);
    expect((done.body as unknown as { approvals: Approval[] }).approvals).toMatchObject([
      { status: 'granted', decidedBy: 'erin', comment: 'checked' },
    ]);
  });

  it('a denial aborts the run before the step', async () => {
    const { id, dir } = await waitingRun();
    const denied = await decide(token.erin, id, { step: 'promote-replica', decision: 'deny', comment: 'lag is 40s' });
    expect(denied.status).toBe(200);
    const done = await runReaches(base, token.vera, id, ['finished', 'failed', 'interrupted']);
    expect(done.body.request).toMatchObject({ status: 'finished', exitCode: 1 });
    expect(done.body.run).toMatchObject({ outcome: 'aborted' });
    expect(existsSync(join(dir, 'promoted'))).toBe(false);
    const all = await api(base, 'GET', '/api/approvals?status=all', { token: token.vera });
    expect((all.body as unknown as { approvals: Approval[] }).approvals.find((a) => a.requestId === id)).toMatchObject({
      status: 'denied',
      decidedBy: 'erin',
      comment: 'lag is 40s',
    });
  });
});
