import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where runs live: $DRILLBOOK_HOME or .drillbook in the working directory. */
export function drillbookHome(): string {
  return process.env.DRILLBOOK_HOME ?? '.drillbook';
}

export function runsDir(): string {
  return join(drillbookHome(), 'runs');
}

/** Sortable, readable and unique: 20261125-104512-INC-003-a1b2. */
export function newRunId(incidentId: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${incidentId}-${randomBytes(2).toString('hex')}`;
}

export function listRunIds(): string[] {
  const dir = runsDir();
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((name) => existsSync(join(dir, name, 'journal.jsonl'))).sort();
}

/** Writes a file whole or not at all: readers never see half a report. */
export function writeFileAtomic(file: string, content: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, content);
  renameSync(tmp, file);
}
