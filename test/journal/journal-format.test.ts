import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JOURNAL_VERSION } from '../../src/journal/event-shape.js';
import { drillbook } from '../helpers/cli.js';
import { ENGINE, journalEvents, onlyRunDir, workspace } from '../helpers/runs.js';

function simulated() {
  const ws = workspace();
  drillbook(['run', 'INC-101', '-f', ENGINE, '--mode', 'simulate', '--renderer', 'plain'], {
    env: { DRILLBOOK_HOME: ws.home },
  });
  const dir = onlyRunDir(ws);
  return { ws, dir, file: join(dir, 'journal.jsonl'), runId: dir.split('/').pop() ?? '' };
}

/** Rewrites one journal line (0-based) through `edit`. */
function editLine(
  file: string,
  index: number,
  edit: (event: Record<string, unknown>) => Record<string, unknown>,
): number {
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  lines[index] = JSON.stringify(edit(JSON.parse(lines[index] ?? '{}') as Record<string, unknown>));
  writeFileSync(file, `${lines.join('\n')}\n`);
  return index + 1;
}

describe('the journal has a format version, and its events are checked on read', () => {
  it('records the format it is written in', () => {
    const { dir } = simulated();
    expect(journalEvents(dir)[0]).toMatchObject({ type: 'run-started', journalVersion: JOURNAL_VERSION });
  });

  it('refuses a journal written by a newer drillbook, with its file and line', () => {
    const { ws, file, runId } = simulated();
    editLine(file, 0, (e) => ({ ...e, journalVersion: JOURNAL_VERSION + 1 }));
    const r = drillbook(['report', runId], { env: { DRILLBOOK_HOME: ws.home } });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(`${file}:1: journal format ${JOURNAL_VERSION + 1} is newer than this drillbook reads`);
  });

  it.each([
    [
      'an event without a field it needs',
      (e: Record<string, unknown>) => {
        const { result: _r, ...rest } = e;
        return rest;
      },
      /event "step-finished" has no "result"/,
    ],
    [
      'a field of the wrong type',
      (e: Record<string, unknown>) => ({ ...e, step: 42 }),
      /event "step-finished" has a malformed "step"/,
    ],
    [
      'an event type it does not know',
      (e: Record<string, unknown>) => ({ ...e, type: 'step-exploded' }),
      /unknown event type "step-exploded"/,
    ],
  ])('names %s at its line', (_label, edit, message) => {
    const { ws, file, runId } = simulated();
    const index = readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.includes('"type":"step-finished"'));
    const line = editLine(file, index, edit);
    const r = drillbook(['report', runId], { env: { DRILLBOOK_HOME: ws.home } });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
  });
});
