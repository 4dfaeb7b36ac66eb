import { existsSync, readFileSync } from 'node:fs';
import { writeFileAtomic } from '../journal/run-store.js';
import type { LabLayout } from './layout.js';

/** What `lab up` started, so `down` stops exactly that (by pid) and `status` knows where to look. */
export interface LabState {
  basePort: number;
  startedAt: string;
  pids: { s3?: number; supervisor?: number };
  baseBackup?: string;
}

export function readLabState(layout: LabLayout): LabState | undefined {
  if (!existsSync(layout.paths.state)) return undefined;
  try {
    return JSON.parse(readFileSync(layout.paths.state, 'utf8')) as LabState;
  } catch {
    // A state file cut short (a full disk, a killed `lab up`): what ran is found from the pid files instead.
    return undefined;
  }
}

export function writeLabState(layout: LabLayout, state: LabState): void {
  writeFileAtomic(layout.paths.state, `${JSON.stringify(state, null, 2)}\n`);
}
