import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { api, createToken, startService, type ServiceProcess } from '../helpers/service.js';
import { scratchDatabase, type ScratchDatabase } from '../helpers/store.js';

interface Listed {
  id: number;
  name: string;
  role: string;
  createdAt: string;
  revokedAt: string | null;
}

describe('tokens: list and revoke, by command and by API', () => {
  let db: ScratchDatabase;
  let serve: ServiceProcess;
  let admin = '';
  const cli = (args: string[]) => drillbook(['token', ...args, '--store', db.url]);
  const listed = () => (JSON.parse(cli(['list', '--json']).stdout) as { tokens: Listed[] }).tokens;
  beforeAll(async () => {
    db = await scratchDatabase();
    admin = createToken(db.url, 'admin', 'root-admin');
    serve = await startService('serve', [], db.url);
  });
  afterAll(async () => {
    await serve?.stop();
    await db?.drop();
  });

  it('token list shows id, name, role, created and revoked, and never a token or its hash', async () => {
    const viewer = createToken(db.url, 'viewer', 'dashboard');
    const json = cli(['list', '--json']);
    expect(json.status).toBe(0);
    const tokens = listed();
    expect(tokens.map(({ name, role, revokedAt }) => ({ name, role, revokedAt }))).toEqual([
      { name: 'root-admin', role: 'admin', revokedAt: null },
      { name: 'dashboard', role: 'viewer', revokedAt: null },
    ]);
    expect(Object.keys(tokens[0] ?? {}).sort()).toEqual(['createdAt', 'id', 'name', 'revokedAt', 'role']);
    const hashes = (await db.query<{ sha256: string }>('select sha256 from api_tokens')).map((r) => r.sha256);
    const text = cli(['list']);
    expect(text.stdout).toMatch(/^ID\s+NAME\s+ROLE\s+CREATED\s+REVOKED\n/);
    expect(text.stdout).toMatch(/\n\d+\s+dashboard\s+viewer\s+\d{4}-\d\d-\d\dT\S+\s+-\n/);
    const viaApi = await api(serve.url, 'GET', '/api/tokens', { token: admin });
    expect(viaApi.status).toBe(200);
    expect((viaApi.body as unknown as { tokens: Listed[] }).tokens).toEqual(tokens);
    for (const output of [json.stdout, text.stdout, viaApi.text])
      for (const secret of [admin, viewer, ...hashes]) expect(output).not.toContain(secret);
    expect((await api(serve.url, 'GET', '/api/tokens', { token: viewer })).status).toBe(403);
  });

  it('token revoke NAME: the very next request with that token gets 401', async () => {
    const runner = createToken(db.url, 'runner', 'ci-bot');
    expect((await api(serve.url, 'GET', '/api/runs', { token: runner })).status).toBe(200);
    const r = cli(['revoke', 'ci-bot']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^revoked token \d+ "ci-bot" \(runner\) in postgres:\/\//);
    const after = await api(serve.url, 'GET', '/api/runs', { token: runner });
    expect(after.status).toBe(401);
    expect(after.body.error).toBe('the bearer token is not known (or was revoked)');
    expect(listed().find((t) => t.name === 'ci-bot')?.revokedAt).toMatch(/^\d{4}-/);
    const again = cli(['revoke', 'ci-bot']);
    expect({ status: again.status, stderr: again.stderr }).toEqual({
      status: 2,
      stderr: 'drillbook: token "ci-bot" is already revoked\n',
    });
    const none = cli(['revoke', 'nobody']);
    expect(none.status).toBe(2);
    expect(none.stderr).toBe('drillbook: no token "nobody"; see drillbook token list\n');
  });

  it('a name held by two live tokens is revoked by id only', () => {
    createToken(db.url, 'viewer', 'twin');
    createToken(db.url, 'viewer', 'twin');
    const r = cli(['revoke', 'twin']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^drillbook: 2 live tokens are named "twin" \(ids \d+, \d+\); revoke one by its id\n$/);
    const id = listed().find((t) => t.name === 'twin')?.id;
    expect(cli(['revoke', String(id)]).status).toBe(0);
    expect(listed().filter((t) => t.name === 'twin' && t.revokedAt === null)).toHaveLength(1);
  });

  it('DELETE /api/tokens/:id revokes at once, is audited, and refuses unknown, revoked and malformed ids', async () => {
    const viewer = createToken(db.url, 'viewer', 'wallboard');
    const id = listed().find((t) => t.name === 'wallboard')?.id;
    expect((await api(serve.url, 'GET', '/api/stats', { token: viewer })).status).toBe(200);
    expect((await api(serve.url, 'DELETE', `/api/tokens/${id}`, { token: viewer })).status).toBe(403);
    const del = await api(serve.url, 'DELETE', `/api/tokens/${id}`, { token: admin });
    expect(del.status).toBe(200);
    expect(del.body).toMatchObject({ token: { id, name: 'wallboard', role: 'viewer' } });
    expect((await api(serve.url, 'GET', '/api/stats', { token: viewer })).status).toBe(401);
    const again = await api(serve.url, 'DELETE', `/api/tokens/${id}`, { token: admin });
    expect({ status: again.status, error: again.body.error }).toEqual({
      status: 409,
      error: `token id ${id} is already revoked`,
    });
    expect((await api(serve.url, 'DELETE', '/api/tokens/999999', { token: admin })).status).toBe(404);
    const bad = await api(serve.url, 'DELETE', '/api/tokens/wallboard', { token: admin });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatch(/^invalid request: /);
    const audit = await db.query('select token_name, method, route, target, status from audit where method = $1', [
      'DELETE',
    ]);
    expect(audit).toContainEqual({
      token_name: 'root-admin',
      method: 'DELETE',
      route: '/api/tokens/:id',
      target: String(id),
      status: 200,
    });
  });
});
