import type { JournalEvent } from '../../../journal/events.js';
import { formatDuration } from '../../../model/duration.js';

const d = formatDuration;

/** One journal event as a line of the live log; `bad` marks what went wrong (overruns, failures). */
export function eventText(ev: JournalEvent): { text: string; bad: boolean } {
  switch (ev.type) {
    case 'run-started':
      return ok(`run started: ${ev.incident.id} ${ev.incident.title} (${ev.mode}, operator ${ev.operator})`);
    case 'run-resumed':
      return ok(`run resumed by ${ev.operator} (${ev.mode})`);
    case 'phase-started':
      return ok(`phase ${ev.phase} started`);
    case 'phase-finished':
      return {
        text: `phase ${ev.phase} finished in ${d(ev.durationMs)} of ${d(ev.budgetMs)}${ev.overrun ? ': OVER BUDGET' : ''}`,
        bad: ev.overrun,
      };
    case 'overrun':
      return {
        text:
          ev.scope === 'rto'
            ? `OVERRUN: the RTO of ${d(ev.budgetMs)} has passed`
            : `OVERRUN: phase ${ev.id} passed its budget of ${d(ev.budgetMs)}`,
        bad: true,
      };
    case 'step-started':
      return ok(`step ${ev.step} started: ${ev.title}${ev.attempt > 1 ? ` (attempt ${ev.attempt})` : ''}`);
    case 'step-finished':
      return stepFinished(ev);
    case 'decision':
      return ok(`decision at ${ev.step}: ${ev.choice} by ${ev.by}${ev.note ? ` (${ev.note})` : ''}`);
    case 'captured':
      return ok(`step ${ev.step} captured ${ev.name}`);
    case 'recorded':
      return ok(`${ev.by} recorded ${ev.name} at ${ev.step}`);
    case 'notification':
      return ok(`notification from ${ev.step}: ${ev.text}`);
    case 'status-update':
      return ok(`status update ${ev.n}${ev.sent ? ' sent' : ' due'}: ${ev.text}`);
    case 'escalation':
      return ok(`escalation level ${ev.level}: ${ev.line}`);
    case 'delivery':
      return { text: `delivery to ${ev.channel}: ${ev.ok ? 'ok' : (ev.skipped ?? ev.error ?? 'failed')}`, bad: !ev.ok };
    case 'recovery-check':
      return { text: `recovery check: ${ev.ok ? 'recovered' : 'not recovered'}`, bad: !ev.ok };
    case 'approval-requested':
      return ok(
        `step ${ev.step} waits for approval by ${ev.approvers.join(' or ') || 'an approver'} (asked by ${ev.requestedBy})`,
      );
    case 'approval-granted':
      return ok(`step ${ev.step} approved by ${ev.by}${ev.comment ? `: ${ev.comment}` : ''}`);
    case 'approval-denied':
      return { text: `step ${ev.step} denied by ${ev.by}${ev.comment ? `: ${ev.comment}` : ''}`, bad: true };
    case 'approval-timed-out':
      return { text: `step ${ev.step}: nobody decided on its approval in time`, bad: true };
    case 'section-started':
      return ok(`${ev.section} started: ${ev.reason}`);
    case 'run-finished':
      return {
        text: `run finished: ${ev.outcome} (exit ${ev.exitCode})${ev.reason ? `: ${ev.reason}` : ''}`,
        bad: ev.exitCode !== 0,
      };
    default:
      return ok(ev.type);
  }
}

function ok(text: string): { text: string; bad: boolean } {
  return { text, bad: false };
}

const BAD_STATUS = new Set(['failed', 'timed-out', 'unknown']);

function stepFinished(ev: Extract<JournalEvent, { type: 'step-finished' }>): { text: string; bad: boolean } {
  const r = ev.result;
  const error = r.error ? `: ${r.error}` : '';
  return { text: `step ${ev.step} ${r.status} in ${d(r.durationMs)}${error}`, bad: BAD_STATUS.has(r.status) };
}
