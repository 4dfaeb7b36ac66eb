import type { JournalEvent } from '../journal/events.js';
import { approverWords } from '../model/approval-need.js';

type ApprovalEvent = Extract<
  JournalEvent,
  { type: 'approval-requested' | 'approval-granted' | 'approval-denied' | 'approval-timed-out' }
>;

/** How an approval event reads in a run's progress lines: what to type to decide, and who decided. */
export function approvalText(e: ApprovalEvent): string {
  switch (e.type) {
    case 'approval-requested':
      return `waiting for approval of ${e.step} by ${approverWords(e.approvers)} (not ${e.requestedBy}) until ${e.deadline}: drillbook approve ${e.runId} ${e.step} [--deny]`;
    case 'approval-granted':
      return `approval of ${e.step} granted by ${e.by}${e.comment ? `: ${e.comment}` : ''}`;
    case 'approval-denied':
      return `approval of ${e.step} DENIED by ${e.by}${e.comment ? `: ${e.comment}` : ''}`;
    case 'approval-timed-out':
      return `approval of ${e.step} TIMED OUT: nobody decided in time`;
  }
}
