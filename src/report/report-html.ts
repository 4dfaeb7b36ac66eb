import { communicationRows } from './communications.js';
import { formatDuration } from '../model/duration.js';
import { escapeHtml as e, htmlPage } from '../render/html/page.js';
import type { Report } from './build-report.js';
import { timelineChart } from './timeline-chart.js';
import { phaseTimeline, totalStatus } from './phase-timeline.js';
import { causeLines, rpoText, rtoText, ttrText, verdictHeadline, verdictLine } from '../verdict/verdict-text.js';

/** The run report's badges, verdict banner and summary cards (the web console reuses them). */
export const REPORT_CSS = `
.badge { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.85em; font-weight: 600; border: 1px solid currentColor; }
.ok { color: #2e7d32; } .bad { color: #c62828; } .warn { color: #9a6700; } .muted { color: #59636e; }
.summary { display: grid; grid-template-columns: repeat(auto-fit, minmax(11rem, 1fr)); gap: 0.6rem; margin-bottom: 1.2rem; }
.summary div { border: 1px solid #d0d7de; border-radius: 6px; padding: 0.5rem 0.7rem; }
.summary b { display: block; font-size: 1.15rem; }
figure { margin: 0 0 1rem; } figcaption { color: #59636e; font-size: 0.9em; }
pre.message { white-space: pre-wrap; }
.verdict { border: 3px solid currentColor; border-radius: 8px; padding: 0.8rem 1rem; margin: 0 0 1.2rem; }
.verdict .headline { margin: 0 0 0.3rem; font-size: 1.9rem; font-weight: 800; letter-spacing: 0.02em; }
.verdict p { margin: 0; font-weight: 600; } .verdict pre { margin: 0.5rem 0 0; color: #1b1f24; white-space: pre-wrap; }
.scroll { overflow-x: auto; max-width: 100%; }
td code { white-space: nowrap; }
figure .scroll svg { min-width: 560px; }
@media (prefers-color-scheme: dark) { .verdict pre { color: inherit; } }
@media print {
  .scroll { overflow: visible; }
  table { font-size: 8pt; }
  td { overflow-wrap: anywhere; }
  td code { white-space: normal; }
  figure .scroll svg { min-width: 0; }
  .verdict, tr, figure { break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

const GOOD = new Set(['passed', 'simulated', 'recovered']);
const BAD = new Set(['failed', 'timed-out', 'unknown', 'aborted', 'not-recovered', 'interrupted', 'unfinished']);

/** The run report as a self-contained page a reviewer can file: figures, timeline chart, test documentation, steps. */
export function reportHtml(r: Report): string {
  const body = [
    `<h1>Run report: ${e(r.incident.id)} ${e(r.incident.title)}</h1>`,
    // Status first: the verdict in large type, with the failing step, before any figure.
    banner(r),
    `<p>Run <code>${e(r.runId)}</code> · mode <b>${e(r.mode)}</b> · environment <b>${e(r.environment)}</b> · operator ${e(r.operator)} · runbook ${e(r.runbook.name)} v${e(r.runbook.version)} (sha256 ${e(r.runbook.sha256.slice(0, 12))})</p>`,
    `<p>Outcome ${badge(r.outcome)}${r.reason ? ` — ${e(r.reason)}` : ''}</p>`,
    ...summaryCards(r),
    ...documentationTable(r),
    ...timelineSection(r),
    ...stepsSection(r),
    ...afterwards(r),
  ];
  return htmlPage({
    title: `Run report ${r.runId}`,
    body: body.join('\n'),
    generator: 'drillbook report',
    extraCss: REPORT_CSS,
  });
}

/** The figures a reviewer looks for first: start, duration, time to recover, data-loss window, steps. */
function summaryCards(r: Report): string[] {
  const simulated = r.verdict.simulated;
  return [
    '<div class="summary">',
    figure('Started', r.startedAt.replace('T', ' ').replace(/\.\d+Z$/, 'Z')),
    figure('Duration', formatDuration(r.durationMs)),
    figure(
      simulated ? 'Projected recovery' : 'Time to recover',
      ttrText(r.verdict),
      judged(rtoText(r.verdict), r.rto.met),
    ),
    figure(
      'Data-loss window',
      r.rpo.measuredMs === null ? 'n/a' : formatDuration(r.rpo.measuredMs),
      judged(rpoText(r.verdict), r.rpo.met),
    ),
    figure('Steps', String(r.steps.length), stepCounts(r)),
    '</div>',
  ];
}

/** The seeds' test documentation row. */
function documentationTable(r: Report): string[] {
  return [
    '<h2 id="test-documentation">Test documentation</h2>',
    table(
      [
        'Date',
        'Type',
        'Start',
        'End',
        'Duration',
        'RTO met',
        'RPO met',
        'Metrics',
        'Issues',
        'Remediation',
        'Tester',
        'Reviewer',
      ],
      [
        [
          e(r.documentation.date),
          e(r.documentation.type),
          e(r.documentation.start),
          e(r.documentation.end ?? 'unfinished'),
          formatDuration(r.documentation.durationMs),
          met(r.documentation.rtoMet),
          met(r.documentation.rpoMet),
          e(r.documentation.metrics.join('; ') || 'none recorded'),
          e(r.documentation.issues.join('; ') || 'none'),
          e(r.documentation.remediation),
          e(r.documentation.tester),
          e(r.documentation.reviewer ?? ''),
        ],
      ],
    ),
  ];
}

function timelineSection(r: Report): string[] {
  const simulated = r.verdict.simulated;
  return [
    `<h2 id="timeline">${simulated ? 'Projected timeline' : 'Timeline'}</h2>`,
    `<figure><div class="scroll">${timelineChart(r)}</div><figcaption>Each phase's ${simulated ? 'projected' : 'actual'} duration against its budget; the dashed line is the RTO.</figcaption></figure>`,
    phaseTable(r),
  ];
}

function stepsSection(r: Report): string[] {
  const simulated = r.verdict.simulated;
  return [
    '<h2 id="steps">Steps</h2>',
    table(
      ['Step', 'Phase', 'Kind', 'Status', 'Duration', 'Attempts', 'Notes'],
      r.steps
        .map((s) => [
          `<code>${e(s.id)}</code>${s.title !== s.id ? `<br>${e(s.title)}` : ''}`,
          e(s.phase ?? s.section),
          e(s.kind),
          badge(s.status),
          simulated ? `~${formatDuration(s.projectedMs ?? 0)}` : formatDuration(s.durationMs),
          String(s.attempts ?? ''),
          e([s.error, s.note].filter(Boolean).join(' — ')),
        ])
        .concat(notReached(r)),
    ),
  ];
}

/** What the run recorded beside its steps: metrics, the recovered condition, status updates, decisions, overruns. */
function afterwards(r: Report): string[] {
  return [
    ...tableSection(
      'recorded-metrics',
      'Recorded metrics',
      ['Step', 'Metric', 'Value', 'By', 'At'],
      r.records.map((m) => [`<code>${e(m.step)}</code>`, e(m.name), e(m.value), e(m.by), e(m.at)]),
    ),
    ...recoverySection(r),
    ...statusUpdatesSection(r),
    ...tableSection(
      'communications',
      'Communications',
      ['At', 'What', 'To', 'Result'],
      communicationRows(r.communications).map((c) => [
        e(c.at),
        e(c.what),
        e(c.to),
        c.failed ? `<span class="bad">${e(c.result)}</span>` : e(c.result),
      ]),
    ),
    ...tableSection(
      'decisions',
      'Decisions',
      ['At', 'By', 'Step', 'Choice', 'Note'],
      r.decisions.map((d) => [e(d.at), e(d.by), `<code>${e(d.step)}</code>`, e(d.choice), e(d.note ?? '')]),
    ),
    ...overrunsSection(r),
  ];
}

/** A heading and its table; nothing at all when there are no rows. */
function tableSection(id: string, title: string, header: string[], rows: string[][]): string[] {
  return rows.length === 0 ? [] : [`<h2 id="${id}">${title}</h2>`, table(header, rows)];
}

function recoverySection(r: Report): string[] {
  if (!r.recovery) return [];
  return [
    '<h2 id="recovered-condition">Recovered condition</h2>',
    '<ul>',
    ...r.recovery.checks.map(
      (c) =>
        `<li>${c.ok ? '<span class="ok">✔</span>' : '<span class="bad">✘</span>'} ${e(c.description)}${c.error ? ` — <span class="bad">${e(c.error)}</span>` : ''}</li>`,
    ),
    '</ul>',
  ];
}

function statusUpdatesSection(r: Report): string[] {
  return [
    '<h2 id="status-updates">Status updates sent</h2>',
    ...(r.notifications.length === 0 ? ['<p class="muted">No status updates were sent in this run.</p>'] : []),
    ...r.notifications.flatMap((n) => [
      `<p><b>${e(n.at)}</b> (<code>${e(n.step)}</code>)</p>`,
      `<pre class="message">${e(n.text)}</pre>`,
    ]),
  ];
}

function overrunsSection(r: Report): string[] {
  if (r.overruns.length === 0) return [];
  return [
    '<h2 id="overruns">Overruns</h2>',
    '<ul>',
    ...r.overruns.map(
      (o) =>
        `<li class="bad">${o.scope === 'rto' ? 'RTO' : `phase ${e(o.id)}`}: its ${formatDuration(o.budgetMs)} budget passed at T+${formatDuration(Math.max(0, Date.parse(o.at) - Date.parse(r.startedAt)))}</li>`,
    ),
    '</ul>',
  ];
}

/** Phase steps the run never started: it stopped first. Listed so the table shows the whole plan. */
function notReached(r: Report): string[][] {
  const started = new Set(r.steps.map((s) => s.id));
  return r.phases.flatMap((p) =>
    p.steps
      .filter((id) => !started.has(id))
      .map((id) => [`<code>${e(id)}</code>`, e(p.id), '', badge('not reached'), '', '', '']),
  );
}

function phaseTable(r: Report): string {
  const t = phaseTimeline(r);
  const rows = t.rows.map((p) => {
    const status = `<span class="${p.status.startsWith('not reached') ? 'muted' : p.status.startsWith('OVER') ? 'bad' : 'ok'}">${e(p.status)}</span>`;
    return [e(p.title), p.budget, p.actual, p.cumulative, status];
  });
  rows.push([
    '<b>Total</b>',
    `<b>${t.total.budget}</b>`,
    `<b>${t.total.actual}</b>`,
    '',
    `<span class="${t.total.ok ? 'ok' : 'bad'}">${e(totalStatus(t.total))}</span>`,
  ]);
  return table(t.header, rows);
}

/** The verdict across the top of the page: green only for a recovery within target; the failure's cause under it. */
function banner(r: Report): string {
  const v = r.verdict;
  const cls = v.withinTarget ? 'ok' : 'bad';
  const cause = causeLines(v);
  const pre = cause.length > 0 ? `<pre class="cause">${e(cause.join('\n'))}</pre>` : '';
  return `<div class="verdict ${cls}" role="status" data-outcome="${e(v.outcome)}" data-within-target="${v.withinTarget}"><p class="headline">${e(verdictHeadline(v))}</p><p>${e(verdictLine(v))}</p>${pre}</div>`;
}

function judged(text: string, value: boolean | null): string {
  return `<span class="${value === null ? 'muted' : value ? 'ok' : 'bad'}">${e(text)}</span>`;
}

/**
 * Cells are trusted HTML built by this module; every value in them was escaped on the way in. A column
 * that is empty in every row is left out, and the table scrolls in its own box on a narrow screen.
 */
function table(header: string[], rows: string[][]): string {
  const keep = header.map((_, i) => rows.length === 0 || rows.some((row) => (row[i] ?? '') !== ''));
  const cells = (row: string[]) => row.filter((_, i) => keep[i]);
  return `<div class="scroll"><table>\n<thead><tr>${cells(header)
    .map((h) => `<th>${h}</th>`)
    .join('')}</tr></thead>\n<tbody>\n${rows
    .map(
      (row) =>
        `<tr>${cells(row)
          .map((c) => `<td>${c}</td>`)
          .join('')}</tr>`,
    )
    .join('\n')}\n</tbody>\n</table></div>`;
}

function badge(status: string): string {
  const cls = GOOD.has(status) ? 'ok' : BAD.has(status) ? 'bad' : 'warn';
  return `<span class="badge ${cls}">${e(status)}</span>`;
}

function met(value: boolean | null): string {
  return value === null
    ? '<span class="muted">n/a</span>'
    : value
      ? '<span class="ok">yes</span>'
      : '<span class="bad">NO</span>';
}

function figure(label: string, value: string, note = ''): string {
  return `<div><span class="muted">${e(label)}</span><b>${e(value)}</b>${note ? `<span class="muted">${note}</span>` : ''}</div>`;
}

function stepCounts(r: Report): string {
  const counts = new Map<string, number>();
  for (const s of r.steps) counts.set(s.status, (counts.get(s.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${e(status)}`).join(', ');
}
