import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { globFiles, globProblem } from '../../src/execute/checks/glob.js';

/** A folder of real files: the seeds' backup layout and a few names that must not match. */
function tree(): string {
  const root = mkdtempSync(join(tmpdir(), 'drillbook-glob-'));
  for (const f of [
    'daily/backup_20251227_010000.dump.gz',
    'daily/backup_20251227_010000.metadata',
    'daily/backup_20251226_010000.dump.gz',
    'weekly/backup_20251221_010000.dump.gz',
    'monthly/2025/backup_20251201_010000.dump.gz',
    'daily/.backup_hidden.dump.gz',
    'daily/redis_rdb_20251227_010000.rdb',
    'odd/a[1].gz',
  ]) {
    mkdirSync(join(root, f, '..'), { recursive: true });
    writeFileSync(join(root, f), 'x');
  }
  mkdirSync(join(root, 'daily', 'backup_folder.dump.gz'));
  return root;
}

describe('glob (file checks)', () => {
  const root = tree();
  const rel = (paths: string[]) => paths.map((p) => p.slice(root.length + 1));

  it('matches * and ? within a segment, files only, hidden names left out', async () => {
    expect(rel(await globFiles(`${root}/daily/backup_*.dump.gz`))).toEqual([
      'daily/backup_20251226_010000.dump.gz',
      'daily/backup_20251227_010000.dump.gz',
    ]);
    expect(rel(await globFiles(`${root}/daily/backup_2025122?_010000.*`))).toEqual([
      'daily/backup_20251226_010000.dump.gz',
      'daily/backup_20251227_010000.dump.gz',
      'daily/backup_20251227_010000.metadata',
    ]);
    expect(rel(await globFiles(`${root}/daily/.backup_*`))).toEqual(['daily/.backup_hidden.dump.gz']);
  });

  it('matches [classes], {alternatives} and ** across folders', async () => {
    expect(rel(await globFiles(`${root}/{daily,weekly}/backup_*_01000[0-9].dump.gz`))).toEqual([
      'daily/backup_20251226_010000.dump.gz',
      'daily/backup_20251227_010000.dump.gz',
      'weekly/backup_20251221_010000.dump.gz',
    ]);
    expect(rel(await globFiles(`${root}/**/backup_*.dump.gz`))).toHaveLength(4);
    expect(rel(await globFiles(`${root}/daily/[!b]*`))).toEqual(['daily/redis_rdb_20251227_010000.rdb']);
    expect(rel(await globFiles(`${root}/odd/a\\[1].gz`))).toEqual(['odd/a[1].gz']);
  });

  it('matches nothing under a folder that does not exist, and a plain path as itself', async () => {
    expect(await globFiles(`${root}/nope/*.gz`)).toEqual([]);
    expect(await globFiles(`${root}/daily/x.gz`)).toEqual([`${root}/daily/x.gz`]);
  });

  it('names what is wrong with a bad pattern, and ignores {{ templates }}', () => {
    expect(globProblem('/backups/backup_[0-9.dump.gz')).toBe('unclosed [ in "backup_[0-9.dump.gz"');
    expect(globProblem('/backups/{daily,weekly/x')).toBe('unclosed { in "{daily,weekly"');
    expect(globProblem('/backups/{a,{b,c}}')).toBe('nested { in "{a,{b,c}}"');
    expect(globProblem('/backups/x**')).toContain('"**" must be a whole path segment');
    expect(globProblem('{{ backup.dir }}/*/backup_*.dump.gz')).toBeUndefined();
    expect(globProblem('/backups/**/backup_{daily,weekly}_[0-9]?.gz')).toBeUndefined();
  });
});
