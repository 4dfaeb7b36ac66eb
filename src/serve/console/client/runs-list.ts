import type { RunListing } from '../../../store/store-reads.js';
import type { ServiceRun } from '../../service-runs.js';
import { el, fill } from './dom.js';
import { apiJson } from './session.js';

const REFRESH_MS = 3000;

/** The live index: runs queued or running now, then the latest runs in the store, each opening its live view. */
export function showRunsIndex(view: HTMLElement): void {
  const pending = el('div', { id: 'pending' });
  const recent = el('div', { id: 'recent' });
  fill(view, el('h2', {}, 'Queued and running'), pending, el('h2', {}, 'Latest runs'), recent);
  const draw = async () => {
    const answer = await apiJson<{ runs: RunListing[]; pending: ServiceRun[] }>('/api/runs');
    fill(
      pending,
      answer.pending.length === 0
        ? el('p', { class: 'empty' }, 'Nothing is running.')
        : el(
            'ul',
            {},
            answer.pending.map((r) =>
              el(
                'li',
                {},
                el('a', { href: `/console/live?run=${encodeURIComponent(r.id)}` }, `${r.incident} (${r.runbook})`),
                ` ${r.mode}, ${r.status}, asked by ${r.requestedBy}`,
              ),
            ),
          ),
    );
    const latest = answer.runs.slice(-15).reverse();
    fill(
      recent,
      latest.length === 0
        ? el('p', { class: 'empty' }, 'No runs in the store yet.')
        : el(
            'ul',
            {},
            latest.map((r) =>
              el(
                'li',
                {},
                el('a', { href: `/console/live?run=${encodeURIComponent(r.runId)}` }, `${r.incident} ${r.verdict}`),
                ` ${r.mode}, ${new Date(r.startedAt).toLocaleString()}, ${r.operator}`,
              ),
            ),
          ),
    );
  };
  const loop = () => void draw().finally(() => window.setTimeout(loop, REFRESH_MS));
  loop();
}
