import { join } from 'node:path';
import type { JournalEvent } from '../../journal/events.js';
import { readJournal } from '../../journal/journal.js';
import { ApprovalRefused, checkDecider } from './approval-types.js';
import { readDecision, writeDecision } from './file-approvals.js';
import { approvalsDir } from './gate-for-run.js';

type Requested = Extract<JournalEvent, { type: 'approval-requested' }>;

/**
 * `drillbook approve` for a run without a store: the newest request for the step is read from the run's
 * journal, checked (never the starter, only the named approvers, still pending), and decided with a file
 * in the run's approvals/ folder, which the waiting run polls.
 */
export function decideFileApproval(
  runDir: string,
  input: { step: string; decision: 'grant' | 'deny'; by: string; comment?: string },
): Requested {
  const events = readJournal(join(runDir, 'journal.jsonl'));
  const request = events.findLast((e): e is Requested => e.type === 'approval-requested' && e.step === input.step);
  if (!request) throw new ApprovalRefused('not-found', `this run has asked for no approval of step "${input.step}"`);
  checkDecider(request, input.by);
  const dir = approvalsDir(runDir);
  const status = decidedIn(events, request) ?? readDecision(dir, request.requestId)?.status;
  if (status !== undefined || Date.parse(request.deadline) <= Date.now())
    throw notPending(input.step, status ?? 'timed-out');
  const written = writeDecision(dir, request.requestId, {
    status: input.decision === 'grant' ? 'granted' : 'denied',
    by: input.by,
    at: new Date().toISOString(),
    ...(input.comment !== undefined ? { comment: input.comment } : {}),
  });
  if (!written) throw notPending(input.step, readDecision(dir, request.requestId)?.status ?? 'decided');
  return request;
}

/** What the run journaled about the request since: granted, denied or timed out. */
function decidedIn(events: JournalEvent[], request: Requested): string | undefined {
  const end = events.findLast(
    (e) =>
      (e.type === 'approval-granted' || e.type === 'approval-denied' || e.type === 'approval-timed-out') &&
      e.requestId === request.requestId,
  );
  return end?.type.replace('approval-', '');
}

function notPending(step: string, status: string): ApprovalRefused {
  return new ApprovalRefused('not-pending', `the approval of step "${step}" is ${status}, not pending`);
}
