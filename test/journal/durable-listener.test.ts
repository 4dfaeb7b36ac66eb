import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SecretMasker } from '../../src/execute/secrets.js';
import type { JournalEvent } from '../../src/journal/events.js';
import { Journal, readJournal } from '../../src/journal/journal.js';

const phase = (id: string) => ({ type: 'phase-started' as const, phase: id });

describe('Journal.onDurable: what the store is given', () => {
  it('hears an event only once it is synced, numbered by its line in the journal', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'drillbook-durable-')), 'run');
    const journal = Journal.open(dir, new SecretMasker([]));
    const heard: [number, string][] = [];
    journal.onDurable((e: JournalEvent, seq) => {
      heard.push([seq, e.type === 'phase-started' ? e.phase : e.type]);
    });
    journal.append(phase('a'));
    // Written soon, but not synced: not durable yet.
    await new Promise((r) => setImmediate(r));
    expect(heard).toEqual([]);
    journal.append(phase('b'), { durable: true });
    expect(heard).toEqual([
      [1, 'a'],
      [2, 'b'],
    ]);
    journal.append(phase('c'));
    journal.close();
    expect(heard.map(([seq]) => seq)).toEqual([1, 2, 3]);
    expect(readJournal(journal.path).map((e) => (e.type === 'phase-started' ? e.phase : ''))).toEqual(['a', 'b', 'c']);
  });

  it('numbers a reopened journal after its lines, the torn tail it repaired not counted', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'drillbook-durable-')), 'run');
    const first = Journal.open(dir, new SecretMasker([]));
    first.append(phase('a'), { durable: true });
    first.append(phase('b'), { durable: true });
    first.close();
    appendFileSync(join(dir, 'journal.jsonl'), '{"type":"phase-sta');
    const heard: number[] = [];
    const reopened = Journal.open(dir, new SecretMasker([]));
    reopened.onDurable((_e, seq) => heard.push(seq));
    reopened.append(phase('c'), { durable: true });
    reopened.close();
    const events = readJournal(join(dir, 'journal.jsonl'));
    // a, b, journal-repaired (written before anyone listened), c: c is line 4, as readJournal counts it.
    expect(events.map((e) => e.type)).toEqual(['phase-started', 'phase-started', 'journal-repaired', 'phase-started']);
    expect(heard).toEqual([4]);
  });
});
