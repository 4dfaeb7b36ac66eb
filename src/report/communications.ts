import type { JournalEvent } from '../journal/events.js';
import { formatDuration } from '../model/duration.js';

/** What the people side of a run did: escalation levels fired, status updates due, and each delivery. */
export interface Communications {
  escalations: {
    level: number;
    atMs: number;
    line: string;
    contacts: string[];
    channels: string[];
    projected: boolean;
    at: string;
  }[];
  statusUpdates: {
    n: number;
    atMs: number;
    text: string;
    sent: boolean;
    channels: string[];
    projected: boolean;
    at: string;
  }[];
  deliveries: { about: string; channel: string; ok: boolean; skipped?: string; error?: string; at: string }[];
}

export function emptyCommunications(): Communications {
  return { escalations: [], statusUpdates: [], deliveries: [] };
}

/** Folds one journal event into the communications section (other events are not about it). */
export function addCommunication(c: Communications, e: JournalEvent): void {
  if (e.type === 'escalation')
    c.escalations.push({
      level: e.level,
      atMs: e.atMs,
      line: e.line,
      contacts: e.contacts,
      channels: e.channels,
      projected: e.projected === true,
      at: e.at,
    });
  if (e.type === 'status-update')
    c.statusUpdates.push({
      n: e.n,
      atMs: e.atMs,
      text: e.text,
      sent: e.sent,
      channels: e.channels,
      projected: e.projected === true,
      at: e.at,
    });
  if (e.type === 'delivery')
    c.deliveries.push({
      about: e.about,
      channel: e.channel,
      ok: e.ok,
      ...(e.skipped !== undefined ? { skipped: e.skipped } : {}),
      ...(e.error !== undefined ? { error: e.error } : {}),
      at: e.at,
    });
}

/** One row per escalation or status update, in clock order, with what became of each delivery: every format shows these. */
export interface CommunicationRow {
  at: string;
  what: string;
  to: string;
  result: string;
  failed: boolean;
}

export function communicationRows(c: Communications): CommunicationRow[] {
  const results = (about: string, projected: boolean, reminder = false) => {
    if (projected) return { result: 'projected: nothing sent', failed: false };
    if (reminder) return { result: 'responder reminded', failed: false };
    const mine = c.deliveries.filter((d) => d.about === about);
    if (mine.length === 0) return { result: 'shown to the responder', failed: false };
    return {
      result: mine
        .map(
          (d) =>
            `${d.channel}: ${d.ok ? (d.skipped ? `skipped (${d.skipped})` : 'delivered') : `FAILED ${d.error ?? ''}`}`,
        )
        .join('; '),
      failed: mine.some((d) => !d.ok),
    };
  };
  const rows = [
    ...c.escalations.map((e) => ({
      atMs: e.atMs,
      at: `T+${formatDuration(e.atMs)}`,
      what: e.line,
      to: e.channels.join(', ') || 'the responder',
      ...results(`escalation level ${e.level}`, e.projected),
    })),
    ...c.statusUpdates.map((u) => ({
      atMs: u.atMs,
      at: `T+${formatDuration(u.atMs)}`,
      what: `Status update ${u.n}: ${u.text.split('\n')[0] ?? ''}`,
      to: u.channels.join(', ') || 'the responder',
      ...results(`status update ${u.n}`, u.projected, !u.sent),
    })),
  ];
  return rows.sort((a, b) => a.atMs - b.atMs).map(({ atMs: _, ...row }) => row);
}
