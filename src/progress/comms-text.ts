import type { JournalEvent } from '../journal/events.js';

type CommsEvent = Extract<JournalEvent, { type: 'escalation' | 'status-update' | 'delivery' }>;

/**
 * How an escalation, a status update and a delivery read in a display (plain lines, the interactive prompt's
 * notices, the live view): one wording for all, so the responder reads the same thing in every mode.
 */
export function commsText(e: CommsEvent): string {
  switch (e.type) {
    case 'escalation':
      return `ESCALATION ${e.line}${e.projected ? ' (projected)' : ''}${e.channels.length > 0 ? ` → ${e.channels.join(', ')}` : ''}`;
    case 'status-update': {
      const head = e.projected
        ? `status update ${e.n} due (projected)`
        : e.sent
          ? `status update ${e.n} sent${e.channels.length > 0 ? ` → ${e.channels.join(', ')}` : ''}`
          : `status update ${e.n} due: post it to the war room`;
      return `${head}\n${e.text
        .split('\n')
        .map((l) => `  | ${l}`)
        .join('\n')}`;
    }
    case 'delivery':
      return `${e.about} → ${e.channel}: ${e.ok ? (e.skipped ? `skipped (${e.skipped})` : 'delivered') : `FAILED ${e.error ?? ''}`}`;
  }
}
