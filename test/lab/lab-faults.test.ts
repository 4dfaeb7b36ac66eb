import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook, ROOT } from '../helpers/cli.js';
import { LAB_PORT_OFFSETS, labDir, labProcesses, listening } from '../helpers/lab.js';

const BASE = 24400;

/** A folder only root can enter, as a checkout under /root or made by `mktemp -d` is. */
function privateDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  chmodSync(dir, 0o700);
  return dir;
}

/** What a failed `lab up` must leave: no process of the lab, no port of it listening. */
async function nothingLeft(lab: string, base: number): Promise<{ processes: string[]; listening: number[] }> {
  return { processes: labProcesses(lab, base), listening: await listening(LAB_PORT_OFFSETS.map((o) => base + o)) };
}

describe('lab up from a checkout the postgres user cannot read', () => {
  it('a clone in a 0700 folder runs lab up, status, down and a drill; its default lab folder is refused with the reason', async () => {
    const home = privateDir('drillbook-checkout-');
    const clone = join(home, 'drillbook');
    const git = spawnSync('git', ['clone', '-q', ROOT, clone], { encoding: 'utf8' });
    expect(git.stderr).toBe('');
    symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));
    expect(spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: clone, encoding: 'utf8' }).status).toBe(0);
    expect(statSync(home).mode & 0o777).toBe(0o700);
    const bin = join(clone, 'bin/drillbook.js');
    const run = (args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], {
        cwd: clone,
        encoding: 'utf8',
        timeout: 90_000,
        stdio: ['ignore', 'pipe', 'pipe'],
      });

    const { lab } = labDir();
    const args = ['--dir', lab, '--base-port', String(BASE)];
    try {
      const up = run(['lab', 'up', ...args]);
      expect(up.stderr).toBe('');
      expect(up.status).toBe(0);
      const status = run(['lab', 'status', '--json', ...args]);
      const rows = JSON.parse(status.stdout) as { component: string; up: boolean }[];
      expect(rows.filter((r) => !r.up)).toEqual([]);
      expect(status.status).toBe(0);
      // WAL reached the store through the archive script the lab copied into its own folder.
      expect(existsSync(join(lab, 'bin', 'archive-wal.mjs'))).toBe(true);
    } finally {
      expect(run(['lab', 'down', ...args]).status).toBe(0);
    }
    expect(await nothingLeft(lab, BASE)).toEqual({ processes: [], listening: [] });

    // A drill from there too: INC-003 promotes the replica through the ssh stand-in, which runs as postgres.
    const drill = run(['drill', 'INC-003', '--json', '--dir', lab, '--base-port', String(BASE)]);
    expect(drill.stdout).toContain('"passed": true');
    expect(drill.status).toBe(0);
    expect(await nothingLeft(lab, BASE)).toEqual({ processes: [], listening: [] });

    // The default folder, .drillbook/lab inside the 0700 checkout, is out of the postgres user's reach.
    const refused = run(['lab', 'up', '--base-port', String(BASE)]);
    expect(refused.stderr).toBe(
      `drillbook: the postgres user (which runs the lab's PostgreSQL) cannot enter ${home}, so it cannot reach the lab folder ${join(clone, '.drillbook/lab')}; put the lab where other users can enter (e.g. --dir /tmp/drillbook-lab), or allow it (chmod o+x ${home})\n`,
    );
    expect(refused.status).toBe(1);
    expect(await nothingLeft(join(clone, '.drillbook/lab'), BASE)).toEqual({ processes: [], listening: [] });
  }, 180_000);
});

describe('lab up fails fast, says which component and why, and stops what it started', () => {
  it("a WAL archive command that cannot run (Node out of the postgres user's reach)", async () => {
    const hidden = privateDir('drillbook-node-');
    const node = join(hidden, 'node');
    try {
      linkSync(process.execPath, node);
    } catch {
      copyFileSync(process.execPath, node);
    }
    const { lab } = labDir();
    const base = BASE + 1000;
    const r = spawnSync(
      node,
      [join(ROOT, 'bin/drillbook.js'), 'lab', 'up', '--dir', lab, '--base-port', String(base)],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const log = join(lab, 'postgres', 'primary.log');
    expect(r.stderr).toBe(
      `drillbook: lab up failed at the postgres primary: archive_command failed for WAL segment (first): sh: 1: ${node}: Permission denied; see ${log}\n`,
    );
    expect(r.status).toBe(1);
    expect(existsSync(log)).toBe(true);
    expect(await nothingLeft(lab, base)).toEqual({ processes: [], listening: [] });
  }, 90_000);

  it('a redis-server that fails to start, after PostgreSQL and the store are up: both are stopped again', async () => {
    const tools = privateDir('drillbook-tools-');
    writeFileSync(
      join(tools, 'redis-server'),
      '#!/bin/sh\necho "Could not create server TCP listening socket: Address already in use" >&2\nexit 1\n',
    );
    chmodSync(tools, 0o755);
    chmodSync(join(tools, 'redis-server'), 0o755);
    const { lab } = labDir();
    const base = BASE + 2000;
    const r = drillbook(['lab', 'up', '--dir', lab, '--base-port', String(base)], {
      env: { PATH: `${tools}:${process.env.PATH ?? ''}` },
    });
    expect(r.stderr).toBe(
      `drillbook: lab up failed at the redis primary: redis-server on port ${base + 979} failed (exit 1): Could not create server TCP listening socket: Address already in use; see ${join(lab, 'redis/primary/redis.log')}\n`,
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('postgres replica on');
    expect(await nothingLeft(lab, base)).toEqual({ processes: [], listening: [] });
  }, 90_000);

  it.each<[string, Record<string, string>, string]>([
    [
      'PostgreSQL binaries',
      { DRILLBOOK_PG_BIN: '/nonexistent/pg/bin' },
      'drillbook: PostgreSQL binaries missing in /nonexistent/pg/bin: initdb, pg_ctl, pg_basebackup, postgres (install postgresql-15, or set DRILLBOOK_PG_BIN to their folder)\n',
    ],
    [
      'redis-server on PATH',
      { PATH: 'EMPTY' },
      'drillbook: not found on PATH: redis-server (apt-get install redis-server)\n',
    ],
  ])('missing %s: refused before anything starts', async (_name, env, message) => {
    const { lab } = labDir();
    const base = BASE + 3000;
    const path = env.PATH === 'EMPTY' ? toolsWithout('redis-server') : undefined;
    const r = drillbook(['lab', 'up', '--dir', lab, '--base-port', String(base)], {
      env: { ...env, ...(path ? { PATH: path } : {}) },
    });
    expect(r.stderr).toBe(message);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(await nothingLeft(lab, base)).toEqual({ processes: [], listening: [] });
  });
});

/** A PATH with the tools lab up looks for, except one. */
function toolsWithout(tool: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-path-'));
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'bin'));
  for (const name of ['pg_dump', 'gzip', 'runuser', 'redis-server', 'sh', 'test', 'id'].filter((t) => t !== tool)) {
    const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).stdout.trim();
    if (found) symlinkSync(found, join(dir, 'bin', name));
  }
  return join(dir, 'bin');
}

/**
 * A PATH whose psql hangs on the recovery's "is the promoted replica answering" query, so the run overruns
 * the drill's deadline however fast the machine is (a fast one recovered INC-003 in 1.2 s, inside 3 s).
 */
function slowPsqlPath(): string {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-slow-'));
  chmodSync(dir, 0o755);
  const real = spawnSync('sh', ['-c', 'command -v psql'], { encoding: 'utf8' }).stdout.trim();
  expect(real).not.toBe('');
  const shim = join(dir, 'psql');
  writeFileSync(shim, `#!/bin/sh\ncase "$*" in *'SELECT version()'*) sleep 60 ;; esac\nexec ${real} "$@"\n`);
  chmodSync(shim, 0o755);
  return `${dir}:${process.env.PATH ?? ''}`;
}

describe('drill on its own timeout', () => {
  it('stops a recovery run that overruns, reports why, and takes the lab down', async () => {
    const { lab, home } = labDir();
    const base = BASE + 4000;
    const r = drillbook(['drill', 'INC-003', '--json', '--dir', lab, '--base-port', String(base)], {
      env: { DRILLBOOK_HOME: home, DRILLBOOK_DRILL_TIMEOUT_MS: '3000', PATH: slowPsqlPath() },
    });
    const [result] = JSON.parse(r.stdout) as { passed: boolean; detail: string }[];
    expect(result).toEqual(
      expect.objectContaining({
        passed: false,
        detail:
          'the recovery run did not finish within 3s and was stopped; its journal is under runs/ (drillbook report latest)',
      }),
    );
    expect(r.status).toBe(1);
    expect(await nothingLeft(lab, base)).toEqual({ processes: [], listening: [] });
  }, 120_000);
});

describe('a full disk', () => {
  it('lab up on a file system with no room names the component and the cause, and leaves nothing running', async () => {
    const root = labDir().root;
    const disk = join(root, 'full');
    mkdirSync(disk);
    // A 2 MB file system: the lab's folders fit, a PostgreSQL cluster does not. Root may mount one here (as CI runs).
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m', 'tmpfs', disk], { encoding: 'utf8' });
    expect(mount.stderr).toBe('');
    const base = BASE + 5000;
    try {
      const r = drillbook(['lab', 'up', '--dir', join(disk, 'lab'), '--base-port', String(base)]);
      expect(r.stderr).toMatch(
        /^drillbook: lab up failed at the postgres primary: initdb failed \(exit 1\): .*No space left on device.*\n$/,
      );
      expect(r.status).toBe(1);
      expect(await nothingLeft(join(disk, 'lab'), base)).toEqual({ processes: [], listening: [] });
    } finally {
      spawnSync('umount', [disk]);
    }
  }, 90_000);
});
