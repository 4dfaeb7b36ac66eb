import type { WebhookMessage } from '../../execute/notify/webhook.js';
import type { AlertDraft } from './alert-store.js';

const HEADLINE: Record<AlertDraft['kind'], string> = {
  failed: 'Scheduled drill FAILED',
  breached: 'Scheduled drill BREACHED its targets',
  overdue: 'Drill OVERDUE',
};

/** Where a person reads more: the run's report, or the schedules to plan the overdue drill. */
export function alertLink(a: AlertDraft, baseUrl: string): string {
  return a.requestId !== undefined ? `${baseUrl}/api/runs/${a.requestId}/report` : `${baseUrl}/api/schedules`;
}

/** A Slack-compatible message: `text` for every chat tool, blocks (a section and fields) where understood. */
export function alertMessage(a: AlertDraft, baseUrl: string): WebhookMessage {
  const link = alertLink(a, baseUrl);
  const text = `drillbook: ${HEADLINE[a.kind]}: ${a.summary} ${link}`;
  const fields = [
    ['Kind', a.kind],
    ['Incident', a.incident ?? '-'],
    ...(a.runId ? [['Run', a.runId]] : []),
    ...(a.requestId !== undefined ? [['Request', a.requestId]] : []),
  ];
  return {
    text,
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: HEADLINE[a.kind] } },
      { type: 'section', text: { type: 'mrkdwn', text: `${a.summary}\n<${link}|Open in drillbook>` } },
      { type: 'section', fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${v}` })) },
    ],
  };
}
