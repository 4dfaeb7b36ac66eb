import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { runFile, workspace } from '../helpers/runs.js';
import { ownPostgres, scratchDatabase, type OwnPostgres, type ScratchDatabase } from '../helpers/store.js';

const TABLES = [
  'alerts',
  'api_tokens',
  'approvals',
  'audit',
  'drillbook_schema_version',
  'events',
  'metrics',
  'runbooks',
  'runs',
  'schedules',
  'service_runbooks',
  'service_runs',
  'step_results',
  'tabletop_sessions',
];

async function tables(db: ScratchDatabase): Promise<string[]> {
  const rows = await db.query<{ t: string }>(
    "select table_name as t from information_schema.tables where table_schema = 'public' order by 1",
  );
  return rows.map((r) => r.t);
}

describe('drillbook store migrate', () => {
  let db: ScratchDatabase;
  beforeAll(async () => {
    db = await scratchDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('creates every table in an empty database, and a second run changes nothing', async () => {
    expect(await tables(db)).toEqual([]);
    const first = drillbook(['store', 'migrate', '--store', db.url]);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(first.stdout).toContain(
      'migrated from schema version 0 to 5 (001.do.sql, 002.do.sql, 003.do.sql, 004.do.sql, 005.do.sql)',
    );
    expect(await tables(db)).toEqual(TABLES);
    const versions = await db.query('select version, name, md5 from drillbook_schema_version order by version');

    const again = drillbook(['store', 'migrate'], { env: { DRILLBOOK_STORE: db.url } });
    expect(again.status).toBe(0);
    expect(again.stdout).toContain('is at schema version 5: nothing to migrate');
    expect(await tables(db)).toEqual(TABLES);
    expect(await db.query('select version, name, md5 from drillbook_schema_version order by version')).toEqual(
      versions,
    );
  });

  it('refuses a store whose schema is newer than this drillbook, and leaves it untouched', async () => {
    const newer = await scratchDatabase();
    try {
      await newer.query(
        'create table drillbook_schema_version (version bigint primary key, name text, md5 text, run_at timestamptz)',
      );
      await newer.query("insert into drillbook_schema_version values (7, 'from a later drillbook', 'x', now())");
      await newer.query('create table runs (id text primary key, written_by_a_later_drillbook int)');
      const r = drillbook(['store', 'migrate', '--store', newer.url]);
      expect(r.status).toBe(1);
      expect(r.stderr).toBe(
        "drillbook: the store's schema is version 7, newer than this drillbook knows (5); it was left untouched: upgrade drillbook to use this store\n",
      );
      expect(await tables(newer)).toEqual(['drillbook_schema_version', 'runs']);
      expect(await newer.query('select version from drillbook_schema_version')).toEqual([{ version: '7' }]);

      // A run against it goes on, says once why the store is not used, and writes nothing there.
      const ws = workspace();
      const run = runFile(ws, 'test/fixtures/run/store.yaml', 'INC-402', ['--mode', 'auto'], {
        DRILLBOOK_STORE: newer.url,
      });
      expect(run.status).toBe(0);
      expect(run.stderr.match(/store not used for this run: the store's schema is version 7/g)).toHaveLength(1);
      expect(await newer.query('select count(*)::int as n from runs')).toEqual([{ n: 0 }]);
      expect(await tables(newer)).toEqual(['drillbook_schema_version', 'runs']);
    } finally {
      await newer.drop();
    }
  });
});

describe('a store that cannot be used says why in one line, its password masked', () => {
  let own: OwnPostgres;
  let db: ScratchDatabase;
  beforeAll(async () => {
    own = ownPostgres(33000 + Math.floor(Math.random() * 500));
    db = await scratchDatabase({ port: own.port, password: own.password });
  }, 60_000);
  afterAll(async () => {
    await db.drop();
    own.destroy();
  });

  const migrate = (url: string) => drillbook(['store', 'migrate', '--store', url]);

  it('bad credentials', () => {
    const r = migrate(`postgres://postgres:wrong-Secret-77@127.0.0.1:${own.port}/${db.name}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `drillbook: the store refused the credentials of user "postgres" (postgres://postgres:***@127.0.0.1:${own.port}/${db.name}): check the user and password\n`,
    );
    expect(r.stderr).not.toContain('wrong-Secret-77');
  });

  it('a missing database', () => {
    const r = migrate(`postgres://postgres:${own.password}@127.0.0.1:${own.port}/no_such_db`);
    expect(r.status).toBe(1);
    expect(r.stderr).toBe(
      `drillbook: the store's database "no_such_db" does not exist (postgres://postgres:***@127.0.0.1:${own.port}/no_such_db): create it (createdb no_such_db) first\n`,
    );
    expect(r.stderr).not.toContain(own.password);
  });

  it('an unreachable server', () => {
    const r = migrate(`postgres://postgres:${own.password}@127.0.0.1:9/${db.name}`);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^drillbook: the store is unreachable at 127\.0\.0\.1:9 \(ECONNREFUSED\); postgres:\/\/postgres:\*\*\*@127\.0\.0\.1:9\/drillbook_store_\w+\n$/,
    );
  });

  it('a wrong URL, before anything runs', () => {
    for (const [url, message] of [
      [
        `http://postgres:${own.password}@127.0.0.1/x`,
        'drillbook: --store must be a postgres:// URL, got http://… ; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE\n',
      ],
      [
        `postgres//postgres:${own.password}@nowhere`,
        'drillbook: --store is not a URL: "postgres//postgres:***@nowhere"; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE\n',
      ],
      [
        `postgres://postgres:${own.password}@127.0.0.1:${own.port}`,
        `drillbook: --store names no database: postgres://postgres:***@127.0.0.1:${own.port}; expected postgres://USER@HOST:PORT/DATABASE\n`,
      ],
    ] as const) {
      const r = migrate(url);
      expect(r.status).toBe(2);
      expect(r.stderr).toBe(message);
    }
    const ws = workspace();
    const run = runFile(ws, 'test/fixtures/run/store.yaml', 'INC-402', ['--mode', 'auto'], {
      DRILLBOOK_STORE: 'mysql://x@y/z',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(
      'drillbook: DRILLBOOK_STORE must be a postgres:// URL, got mysql://… ; expected postgres://USER:PASSWORD@HOST:PORT/DATABASE\n',
    );
  });

  it('with the right password, the store migrates', () => {
    const r = migrate(db.url);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('migrated from schema version 0 to 5');
    expect(r.stdout).not.toContain(own.password);
  });
});
