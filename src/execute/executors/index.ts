import type { StepKind } from '../../model/runbook.js';
import { executeCheck, executeWait } from './check-step.js';
import type { Executor } from './executor.js';
import { executeNotify } from '../notify/notify-step.js';
import { executeRun } from './run-step.js';

/** One executor per step kind. A manual step's outcome is what the person (or --yes) recorded. */
export const EXECUTORS: Record<StepKind, Executor> = {
  run: executeRun,
  check: executeCheck,
  wait: executeWait,
  manual: () => Promise.resolve({ status: 'passed' }),
  notify: executeNotify,
};
