import type { BoardIncident } from '../../board.js';
import { formatDuration } from '../../../model/duration.js';
import { el, fill } from './dom.js';
import { apiJson } from './session.js';
import { trendChart } from './trend-chart.js';

const d = (ms: number | null | undefined) => (ms === null || ms === undefined ? 'n/a' : formatDuration(Math.round(ms)));

/** Every incident of every registered runbook: last drill, measured against target RTO/RPO, trend, overdue. */
export async function showBoard(view: HTMLElement): Promise<void> {
  const board = await apiJson<{ generatedAt: string; incidents: BoardIncident[] }>('/api/board');
  const rows = board.incidents.map(row);
  fill(
    view,
    el(
      'p',
      { class: 'status-line' },
      `As of ${new Date(board.generatedAt).toLocaleString()}. Figures are drillbook history's over real runs (auto, interactive); simulations are counted apart.`,
    ),
    rows.length === 0
      ? el('p', { class: 'empty' }, 'No runbook is registered (POST /api/runbooks).')
      : el(
          'table',
          { class: 'board cards' },
          el(
            'thead',
            {},
            el(
              'tr',
              {},
              [
                'Incident',
                'Status',
                'Last drill',
                'Time to recover (mean / worst) vs RTO',
                'Data loss (mean / worst) vs RPO',
                'RTO met',
                'Trend',
              ].map((h) => el('th', { scope: 'col' }, h)),
            ),
          ),
          el('tbody', {}, rows),
        ),
  );
}

function row(i: BoardIncident): HTMLElement {
  const h = i.history;
  const status = i.check?.status ?? (h?.latestReal ? 'ok' : 'not drilled');
  // A drill in progress is not a failure: its badge reads "running", in the accent colour, not red.
  const cls = status === 'ok' || status === 'running' ? status : status === 'not drilled' ? 'muted' : 'bad';
  const last = i.lastRun;
  const cell = (label: string, field: string, ...content: (Node | string | null)[]) =>
    el('td', { 'data-label': label, 'data-field': field }, ...content);
  return el(
    'tr',
    { 'data-key': `${i.runbook}/${i.id}` },
    el(
      'th',
      { scope: 'row' },
      `${i.id} ${i.title}`,
      el('br'),
      el('span', { class: 'muted' }, `${i.runbook} · ${i.severity}${i.cadence ? ` · ${i.cadence}` : ''}`),
    ),
    cell(
      'Status',
      'status',
      el('span', { class: `badge ${cls}` }, status),
      i.check ? el('br') : null,
      i.check ? el('span', { class: 'muted' }, i.check.text) : null,
    ),
    cell(
      'Last drill',
      'last',
      last ? `${new Date(last.startedAt).toLocaleDateString()} ${last.mode}: ` : 'never',
      last ? el('span', { class: last.succeeded ? 'ok' : 'bad' }, last.verdict) : null,
      i.running ? el('br') : null,
      i.running
        ? el(
            'span',
            { class: 'running', 'data-running': i.running.runId },
            `running now since ${new Date(i.running.startedAt).toLocaleString()}`,
          )
        : null,
    ),
    cell('Time to recover', 'ttr', `${d(h?.meanTtrMs)} / ${d(h?.worstTtrMs)} vs ${i.rto}`),
    cell('Data loss', 'rpo', `${d(h?.rpo.meanMs)} / ${d(h?.rpo.worstMs)} vs ${i.rpo}`),
    cell(
      'RTO met',
      'rto-met',
      h
        ? `${h.rtoCompliance.met}/${h.rtoCompliance.of}${h.rtoCompliance.rate === null ? '' : ` (${h.rtoCompliance.rate}%)`}`
        : 'n/a',
    ),
    cell(
      'Trend',
      'trend',
      h && h.recentTtrMs.length > 0
        ? el('span', { class: 'trend' }, trendChart(h.recentTtrMs, h.rtoTargetMs, `${i.id} times to recover`))
        : null,
      ` ${h?.trend ?? 'no runs'}`,
    ),
  );
}
