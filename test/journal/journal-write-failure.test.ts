import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../../src/execute/secrets.js';
import { Journal, JournalError, readJournal } from '../../src/journal/journal.js';

const asRoot = process.getuid?.() === 0 && spawnSync('mount', ['--version']).status === 0;

/** A journal of whole lines, exactly one 4 KiB page long, so that the next byte needs a page the disk lacks. */
function onePageJournal(file: string): void {
  const line = (n: number, pad: number) =>
    `${JSON.stringify({ at: '2026-12-04T10:00:00.000Z', t: n, type: 'phase-started', phase: 'x'.repeat(pad) })}\n`;
  const base = line(14, 0).length;
  const lines = Array.from({ length: 14 }, (_, i) => line(i, 200));
  const used = lines.join('').length;
  lines.push(line(14, 4096 - used - base));
  writeFileSync(file, lines.join(''));
}

describe.skipIf(!asRoot)('a journal write that fails on a full disk (64 KiB tmpfs)', () => {
  it("defers the failure of a non-durable append (a timer's) to the next durable one, writes nothing more, and reopens whole", () => {
    const mnt = mkdtempSync(join(tmpdir(), 'drillbook-disk-'));
    expect(spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mnt]).status).toBe(0);
    try {
      const dir = join(mnt, 'run');
      mkdirSync(dir);
      onePageJournal(join(dir, 'journal.jsonl'));
      const journal = Journal.open(dir, new SecretMasker([]));
      try {
        writeFileSync(join(mnt, 'filler'), Buffer.alloc(64 * 1024));
      } catch {
        // the disk is full now, which is the point
      }
      expect(() => journal.append({ type: 'overrun', scope: 'phase', id: 'one', budgetMs: 1000 })).not.toThrow();
      expect(() => journal.append({ type: 'phase-started', phase: 'two' }, { durable: true })).toThrow(JournalError);
      let message = '';
      try {
        journal.append({ type: 'phase-started', phase: 'three' }, { durable: true });
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(
        /^journal write failed \(ENOSPC: the disk is full\): .*journal\.jsonl; the run stopped before its next step\. Free the disk, then continue with: drillbook run --resume run$/,
      );
      expect(() => {
        journal.close();
      }).not.toThrow();
      expect(readJournal(join(dir, 'journal.jsonl'))).toHaveLength(15);

      rmSync(join(mnt, 'filler'));
      const reopened = Journal.open(dir, new SecretMasker([]));
      reopened.append({ type: 'phase-started', phase: 'four' }, { durable: true });
      reopened.close();
      const events = readJournal(join(dir, 'journal.jsonl'));
      expect(events.at(-1)).toMatchObject({ type: 'phase-started', phase: 'four' });
    } finally {
      spawnSync('umount', ['-l', mnt]);
    }
  });
});
