import type { RunListing } from '../../../store/store-reads.js';
import { formatDuration } from '../../../model/duration.js';
import { el, fill } from './dom.js';
import { downloadFrom } from './download.js';
import { apiJson, messageOf } from './session.js';

const FORMATS = [
  { format: 'markdown', label: 'Markdown', ext: 'md' },
  { format: 'html', label: 'HTML', ext: 'html' },
  { format: 'pdf', label: 'PDF', ext: 'pdf' },
] as const;

const OUTCOMES = ['', 'recovered', 'not-recovered', 'failed', 'rolled-back', 'aborted', 'interrupted', 'simulated'];

/** The store's runs with `drillbook runs`' filters; each run's report downloads as Markdown, HTML or PDF. */
export function showHistory(view: HTMLElement): void {
  const params = new URLSearchParams(location.search);
  const input = (name: string, label: string, placeholder: string) =>
    el(
      'div',
      { class: 'field' },
      el('label', { for: `f-${name}` }, label),
      el('input', { id: `f-${name}`, name, placeholder, value: params.get(name) ?? '' }),
    );
  const select = (name: string, label: string, options: string[]) =>
    el(
      'div',
      { class: 'field' },
      el('label', { for: `f-${name}` }, label),
      el(
        'select',
        { id: `f-${name}`, name },
        options.map((o) => el('option', { value: o, selected: (params.get(name) ?? '') === o }, o || 'any')),
      ),
    );
  const form = el(
    'form',
    { id: 'filters', 'aria-label': 'Filters', method: 'get', action: '/console/history' },
    input('incident', 'Incident', 'INC-003'),
    input('runbook', 'Runbook', 'thebot-dr'),
    select('mode', 'Mode', ['', 'simulate', 'auto', 'interactive']),
    select('outcome', 'Outcome', OUTCOMES),
    input('since', 'Since', '7d or 2026-01-31'),
    el('div', { class: 'field' }, el('button', { type: 'submit' }, 'Filter')),
  );
  const result = el('div', { id: 'runs', 'aria-live': 'polite' });
  const status = el('p', { class: 'status-line', role: 'status' });
  fill(view, form, status, result);
  void list(params, result, status);
}

async function list(params: URLSearchParams, result: HTMLElement, status: HTMLElement): Promise<void> {
  const query = new URLSearchParams([...params].filter(([, v]) => v !== ''));
  try {
    const { runs } = await apiJson<{ runs: RunListing[] }>(`/api/runs${query.size > 0 ? `?${query}` : ''}`);
    status.textContent = `${runs.length} run${runs.length === 1 ? '' : 's'}`;
    fill(
      result,
      runs.length === 0 ? el('p', { class: 'empty' }, 'No runs match.') : table([...runs].reverse(), status),
    );
  } catch (error) {
    status.textContent = '';
    fill(result, el('p', { class: 'error', role: 'alert' }, messageOf(error)));
  }
}

function table(runs: RunListing[], status: HTMLElement): HTMLElement {
  const head = ['Started', 'Incident', 'Runbook', 'Mode', 'Operator', 'Verdict', 'Time to recover', 'Report'];
  return el(
    'table',
    { class: 'runs cards' },
    el(
      'thead',
      {},
      el(
        'tr',
        {},
        head.map((h) => el('th', { scope: 'col' }, h)),
      ),
    ),
    el(
      'tbody',
      {},
      runs.map((r) =>
        el(
          'tr',
          { 'data-run': r.runId },
          el(
            'td',
            { 'data-label': 'Started' },
            el(
              'a',
              { href: `/console/live?run=${encodeURIComponent(r.runId)}` },
              new Date(r.startedAt).toLocaleString(),
            ),
          ),
          el('td', { 'data-label': 'Incident' }, r.incident),
          el('td', { 'data-label': 'Runbook' }, r.runbook),
          el('td', { 'data-label': 'Mode' }, r.mode),
          el('td', { 'data-label': 'Operator' }, r.operator),
          el('td', { 'data-label': 'Verdict' }, r.verdict),
          el('td', { 'data-label': 'Time to recover' }, r.ttrMs === null ? 'n/a' : formatDuration(r.ttrMs)),
          el('td', { 'data-label': 'Report' }, downloads(r, status)),
        ),
      ),
    ),
  );
}

function downloads(r: RunListing, status: HTMLElement): HTMLElement {
  return el(
    'div',
    { class: 'downloads' },
    FORMATS.map((f) => {
      const button = el(
        'button',
        { type: 'button', class: 'secondary', 'aria-label': `${f.label} report of run ${r.runId}` },
        f.label,
      );
      button.addEventListener('click', () => {
        button.disabled = true;
        status.textContent = `Preparing the ${f.label} report of ${r.runId}…`;
        downloadFrom(
          `/api/runs/${encodeURIComponent(r.runId)}/report?format=${f.format}`,
          `drillbook-${r.runId}.${f.ext}`,
        )
          .then(() => (status.textContent = `Downloaded the ${f.label} report of ${r.runId}.`))
          .catch((error: unknown) => (status.textContent = `The ${f.label} report failed: ${messageOf(error)}`))
          .finally(() => (button.disabled = false));
      });
      return button;
    }),
  );
}
