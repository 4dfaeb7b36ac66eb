import type { JournalEvent } from './events.js';

/** The journal format this drillbook writes and reads. Journals written before it was recorded are format 1. */
export const JOURNAL_VERSION = 1;

type Kind = 'string' | 'number' | 'boolean' | 'object' | 'array' | 'string?' | 'number?' | 'object?';
type Shape<T extends JournalEvent['type']> = Partial<
  Record<Exclude<keyof Extract<JournalEvent, { type: T }>, 'type' | 'at' | 't'>, Kind>
>;

/**
 * The fields every event type must carry, checked on read: resume, report and history all fold a
 * journal, so an event that lost a field is a located error, not a crash three modules later.
 * The mapped type makes the table name every event type and only fields the type has.
 */
const SHAPES: { [T in JournalEvent['type']]: Shape<T> } = {
  'run-started': {
    runId: 'string',
    incident: 'object',
    runbook: 'object',
    environment: 'string',
    mode: 'string',
    operator: 'string',
    variables: 'object',
    phases: 'array',
    journalVersion: 'number?',
    origin: 'object?',
  },
  'run-resumed': { operator: 'string', mode: 'string' },
  'journal-repaired': { droppedBytes: 'number' },
  'phase-started': { phase: 'string' },
  'phase-finished': { phase: 'string', durationMs: 'number', budgetMs: 'number', overrun: 'boolean' },
  overrun: { scope: 'string', id: 'string', budgetMs: 'number' },
  'step-started': { step: 'string', title: 'string', kind: 'string', section: 'string', attempt: 'number' },
  'step-finished': { step: 'string', title: 'string', kind: 'string', section: 'string', result: 'object' },
  decision: { step: 'string', choice: 'string', by: 'string' },
  captured: { step: 'string', name: 'string', value: 'string' },
  notification: { step: 'string', text: 'string' },
  escalation: { level: 'number', atMs: 'number', line: 'string', contacts: 'array', channels: 'array' },
  'status-update': { n: 'number', atMs: 'number', text: 'string', sent: 'boolean', channels: 'array' },
  delivery: { about: 'string', channel: 'string', ok: 'boolean' },
  'recovery-check': { ok: 'boolean', checks: 'array' },
  'section-started': { section: 'string', reason: 'string' },
  recorded: { step: 'string', name: 'string', value: 'string', by: 'string' },
  reviewer: { name: 'string' },
  'approval-requested': {
    runId: 'string',
    step: 'string',
    requestId: 'string',
    approvers: 'array',
    requestedBy: 'string',
    deadline: 'string',
    why: 'string',
  },
  'approval-granted': { step: 'string', requestId: 'string', by: 'string' },
  'approval-denied': { step: 'string', requestId: 'string', by: 'string' },
  'approval-timed-out': { step: 'string', requestId: 'string' },
  'session-started': {
    sessionId: 'string',
    mode: 'string',
    runbook: 'object',
    incident: 'object',
    facilitator: 'string',
    plan: 'object',
  },
  'inject-delivered': { n: 'number', atMs: 'number', clockMs: 'number', text: 'string' },
  'decision-recorded': { clockMs: 'number', text: 'string', by: 'string' },
  'gap-recorded': { clockMs: 'number', text: 'string', by: 'string' },
  'action-recorded': { clockMs: 'number', text: 'string', owner: 'string', by: 'string' },
  'session-ended': { clockMs: 'number', by: 'string' },
  'run-finished': { outcome: 'string', exitCode: 'number', rto: 'object', rpo: 'object' },
};

/** What is wrong with a parsed journal line, or undefined when it is an event this drillbook reads. */
export function eventProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (typeof event.at !== 'string' || typeof event.t !== 'number') return 'no "at" time or "t" offset';
  const type = event.type;
  if (typeof type !== 'string' || !Object.hasOwn(SHAPES, type)) return `unknown event type ${JSON.stringify(type)}`;
  for (const [field, kind] of Object.entries(SHAPES[type as JournalEvent['type']] as Record<string, Kind>)) {
    if (!fits(event[field], kind))
      return `event "${type}" has ${event[field] === undefined ? 'no' : 'a malformed'} "${field}"`;
  }
  if (type === 'run-started' && typeof event.journalVersion === 'number' && event.journalVersion > JOURNAL_VERSION) {
    return `journal format ${event.journalVersion} is newer than this drillbook reads (${JOURNAL_VERSION}); upgrade drillbook`;
  }
  return undefined;
}

function fits(value: unknown, kind: Kind): boolean {
  if (kind.endsWith('?') && value === undefined) return true;
  switch (kind.replace('?', '')) {
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === kind.replace('?', '');
  }
}
