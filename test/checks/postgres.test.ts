import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCheck } from '../../src/execute/checks/registry.js';
import { initPrimary, initReplica, startNode, stopNode, type PgNode } from '../../src/lab/postgres-cluster.js';
import { freePort, requireService } from '../helpers/services.js';

const signal = new AbortController().signal;
const local = { host: '127.0.0.1', port: 5432, user: 'postgres', database: 'postgres' };

beforeAll(async () => {
  await requireService('PostgreSQL', 5432);
});

describe('postgres check against the server on 127.0.0.1:5432', () => {
  it('reachable: passes on the live server, and reports reachable=false on a dead port within its deadline', async () => {
    expect(
      await runCheck({ postgres: { ...local, probe: 'reachable', expect: { reachable: true } } }, signal),
    ).toMatchObject({ ok: true });
    const dead = await freePort();
    const t0 = Date.now();
    const down = await runCheck(
      { timeout: '2s', postgres: { ...local, port: dead, probe: 'reachable', expect: { reachable: true } } },
      signal,
    );
    expect(Date.now() - t0).toBeLessThan(4000);
    expect(down.ok).toBe(false);
    expect(down.error).toContain(`127.0.0.1:${dead}`);
    expect(down.error).toContain('reachable expected true (got false)');
  });

  it('a query probe on a dead port fails with host:port and the reason in one line', async () => {
    const dead = await freePort();
    const r = await runCheck({ timeout: '2s', postgres: { ...local, port: dead, query: 'select 1 as one' } }, signal);
    expect(r.ok).toBe(false);
    expect(r.error).toMatch(new RegExp(`127\\.0\\.0\\.1:${dead}/postgres: cannot connect \\(.*ECONNREFUSED`));
    expect(r.error?.split('\n')).toHaveLength(1);
  });

  it('in_recovery is false on a primary; the opposite expectation fails', async () => {
    expect(
      await runCheck({ postgres: { ...local, probe: 'in_recovery', expect: { in_recovery: false } } }, signal),
    ).toMatchObject({ ok: true });
    const wrong = await runCheck(
      { postgres: { ...local, probe: 'in_recovery', expect: { in_recovery: true } } },
      signal,
    );
    expect(wrong.ok).toBe(false);
    expect(wrong.error).toContain('in_recovery expected true (got false)');
  });

  it('query expectations: equals, comparisons and row count', async () => {
    const sql = 'select n, n * 2 as doubled from generate_series(1, 5) as n order by n';
    expect(
      await runCheck(
        { postgres: { ...local, query: sql, expect: { n: 1, doubled: { ge: 2, lt: 3 }, rows: 5 } } },
        signal,
      ),
    ).toMatchObject({ ok: true });
    const r = await runCheck({ postgres: { ...local, query: sql, expect: { rows: { ge: 6 } } } }, signal);
    expect(r.ok).toBe(false);
    expect(r.error).toContain('rows expected >= 6 (got 5)');
  });

  it('a bad query fails with the server error', async () => {
    const r = await runCheck({ postgres: { ...local, query: 'select * from no_such_table' } }, signal);
    expect(r.ok).toBe(false);
    expect(r.error).toContain('relation "no_such_table" does not exist');
  });

  it('wal_archiving reports the archiver fields', async () => {
    const r = await runCheck(
      {
        postgres: {
          ...local,
          probe: 'wal_archiving',
          expect: { archive_mode: { exists: true }, failed_count: { ge: 0 } },
        },
      },
      signal,
    );
    expect(r).toMatchObject({ ok: true });
  });

  it('a URL connection works and its password never appears in messages', async () => {
    const dead = await freePort();
    const r = await runCheck(
      {
        timeout: '2s',
        postgres: { url: `postgres://postgres:hunter2-secret@127.0.0.1:${dead}/postgres`, probe: 'in_recovery' },
      },
      signal,
    );
    expect(r.ok).toBe(false);
    expect(r.error).not.toContain('hunter2-secret');
    expect(r.description).not.toContain('hunter2-secret');
  });
});

describe('replication lag on a real primary + streaming replica', () => {
  let primary: PgNode;
  let replica: PgNode;

  beforeAll(async () => {
    const base = mkdtempSync(join(tmpdir(), 'drillbook-pg-'));
    chmodSync(base, 0o755);
    const archive = join(base, 'archive');
    const [p1, p2] = [await freePort(), await freePort()];
    primary = await initPrimary(join(base, 'primary'), p1, `mkdir -p ${archive} && cp %p ${archive}/%f`);
    await startNode(primary);
    replica = await initReplica(join(base, 'replica'), p2, p1);
    await startNode(replica);
  }, 120_000);

  afterAll(async () => {
    await stopNode(replica, 'immediate');
    await stopNode(primary, 'immediate');
  });

  it('measures lag on the replica (in recovery, caught up) and on the primary (one streaming replica)', async () => {
    const client = new pg.Client({ host: '127.0.0.1', port: primary.port, user: 'postgres', database: 'postgres' });
    await client.connect();
    await client.query('create table marker (id int primary key, at timestamptz default now())');
    await client.query('insert into marker (id) select generate_series(1, 100)');
    await client.end();
    const onReplica = { host: '127.0.0.1', port: replica.port, user: 'postgres', database: 'postgres' };
    const wait = await runCheck(
      { postgres: { ...onReplica, query: 'select count(*)::int as n from marker', expect: { n: 100 } } },
      signal,
    );
    for (let i = 0; i < 50 && !wait.ok; i++) {
      await new Promise((r) => setTimeout(r, 100));
      Object.assign(
        wait,
        await runCheck(
          { postgres: { ...onReplica, query: 'select count(*)::int as n from marker', expect: { n: 100 } } },
          signal,
        ),
      );
    }
    expect(wait.ok).toBe(true);
    const lag = await runCheck(
      { postgres: { ...onReplica, probe: 'replication_lag', expect: { in_recovery: true, lag_seconds: { lt: 5 } } } },
      signal,
    );
    expect(lag).toMatchObject({ ok: true });
    expect(typeof lag.fields.lag_seconds).toBe('number');
    const onPrimary = await runCheck(
      {
        postgres: {
          host: '127.0.0.1',
          port: primary.port,
          user: 'postgres',
          probe: 'replication_lag',
          expect: { in_recovery: false, replicas: 1, lag_seconds: { lt: 5 } },
        },
      },
      signal,
    );
    expect(onPrimary).toMatchObject({ ok: true });
  });
});
