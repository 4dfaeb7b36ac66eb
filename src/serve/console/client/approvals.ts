import { formatDuration } from '../../../model/duration.js';
import { el, fill } from './dom.js';
import { ApiError, apiJson, messageOf, postJson, type Me } from './session.js';

/** One pending approval, as GET /api/approvals answers (the approvals API's contract). */
interface Approval {
  id: string;
  requestId: string;
  runId: string;
  incident: string;
  runbook: string;
  stepId: string;
  stepTitle: string;
  command: string | null;
  why: string | null;
  approvers: string[] | string | null;
  requestedBy: string;
  requestedAt: string;
  deadline: string | null;
  status: string;
}

const REFRESH_MS = 2000;

/**
 * Steps waiting for a second person (two-person rule): the step, its command, why it needs approval, who asked
 * and the time left. Approve and Deny are not offered on one's own request; a refusal from the API is shown as is.
 */
export function showApprovals(view: HTMLElement, me: Me): void {
  const list = el('div', { id: 'approvals' });
  const status = el('p', { class: 'status-line', role: 'status', 'aria-live': 'polite' });
  const alert = el('p', { class: 'error', id: 'approval-error', role: 'alert' });
  fill(view, status, alert, list);
  let items: Approval[] = [];
  const draw = async () => {
    try {
      items = (await apiJson<{ approvals: Approval[] }>('/api/approvals?status=pending')).approvals;
      status.textContent = `${items.length} pending approval${items.length === 1 ? '' : 's'}`;
    } catch (error) {
      status.textContent =
        error instanceof ApiError && error.status === 404
          ? 'This service has no approvals API yet.'
          : `Approvals could not be read: ${messageOf(error)}`;
      items = [];
    }
    render(list, items, me, alert, () => void draw());
  };
  const loop = () => void draw().finally(() => window.setTimeout(loop, REFRESH_MS));
  loop();
  // The deadlines count down between refreshes.
  window.setInterval(() => {
    for (const node of list.querySelectorAll<HTMLElement>('[data-deadline]'))
      node.textContent = left(node.dataset.deadline ?? '');
  }, 1000);
}

function render(list: HTMLElement, items: Approval[], me: Me, alert: HTMLElement, refresh: () => void): void {
  // Keep a comment being typed: only redraw when the set of approvals changed.
  const ids = items.map((a) => a.id).join(',');
  if (list.dataset.ids === ids) return;
  list.dataset.ids = ids;
  fill(
    list,
    items.length === 0
      ? el('p', { class: 'empty' }, 'Nothing waits for approval.')
      : items.map((a) => card(a, me, alert, refresh)),
  );
}

function card(a: Approval, me: Me, alert: HTMLElement, refresh: () => void): HTMLElement {
  const own = a.requestedBy === me.name;
  const comment = el('textarea', { id: `comment-${a.id}`, name: 'comment' });
  const decide = (decision: 'grant' | 'deny') => {
    alert.textContent = '';
    postJson(`/api/runs/${encodeURIComponent(a.runId ?? a.requestId)}/approvals`, {
      step: a.stepId,
      decision,
      ...(comment.value.trim() ? { comment: comment.value.trim() } : {}),
    })
      .then(refresh)
      .catch((error: unknown) => (alert.textContent = `Refused: ${messageOf(error)}`));
  };
  const approve = el('button', { type: 'button' }, 'Approve');
  const deny = el('button', { type: 'button', class: 'danger' }, 'Deny');
  approve.addEventListener('click', () => {
    decide('grant');
  });
  deny.addEventListener('click', () => {
    decide('deny');
  });
  const approvers = Array.isArray(a.approvers) ? a.approvers.join(', ') : (a.approvers ?? 'any approver');
  return el(
    'section',
    { class: 'card approval', 'data-approval': a.id, 'aria-labelledby': `ap-${a.id}` },
    el('h2', { id: `ap-${a.id}` }, `${a.stepTitle} (${a.stepId})`),
    el(
      'dl',
      {},
      el('dt', {}, 'Run'),
      el(
        'dd',
        {},
        el(
          'a',
          { href: `/console/live?run=${encodeURIComponent(a.requestId ?? a.runId)}` },
          `${a.incident} · ${a.runbook}`,
        ),
      ),
      el('dt', {}, 'Command'),
      el('dd', {}, el('pre', {}, el('code', {}, a.command ?? '(no command)'))),
      el('dt', {}, 'Why it needs approval'),
      el('dd', {}, a.why ?? 'a destructive step (confirm: true)'),
      el('dt', {}, 'Asked by'),
      el('dd', {}, `${a.requestedBy} at ${new Date(a.requestedAt).toLocaleTimeString()}`),
      el('dt', {}, 'Approvers'),
      el('dd', {}, approvers),
      el('dt', {}, 'Time left'),
      el('dd', { 'data-deadline': a.deadline ?? '' }, left(a.deadline ?? '')),
    ),
    own
      ? el(
          'p',
          { class: 'muted', 'data-own': 'yes' },
          'You asked for this step: another person must approve it (two-person rule).',
        )
      : el(
          'div',
          { class: 'actions' },
          el('div', { class: 'field' }, el('label', { for: `comment-${a.id}` }, 'Comment (optional)'), comment),
          approve,
          deny,
        ),
  );
}

function left(deadline: string): string {
  if (!deadline) return 'no deadline';
  const ms = Date.parse(deadline) - Date.now();
  return ms > 0 ? formatDuration(Math.ceil(ms / 1000) * 1000) : 'deadline passed';
}
