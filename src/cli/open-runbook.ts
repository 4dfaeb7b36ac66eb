import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidRunbookError, UsageError } from '../model/errors.js';
import type { Runbook } from '../model/runbook.js';
import { validateFileCached } from '../validate/validation-cache.js';

export const DEFAULT_RUNBOOK = 'playbooks/thebot-dr.yaml';

export function runbookPath(option: string | undefined): string {
  return option ?? (process.env.DRILLBOOK_FILE || DEFAULT_RUNBOOK);
}

/** Loads and validates a runbook, or throws with every problem found. */
export function openRunbook(file: string): { runbook: Runbook; file: string; text: string } {
  if (file === DEFAULT_RUNBOOK && !existsSync(file)) {
    throw new UsageError(`no runbook given and none at ${resolve(file)}; name one with -f FILE or set $DRILLBOOK_FILE`);
  }
  const result = validateFileCached(file);
  if (!result.ok) throw new InvalidRunbookError(result.errors);
  return { runbook: result.runbook, file, text: result.source.text };
}
