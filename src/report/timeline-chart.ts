import { formatDuration } from '../model/duration.js';
import { escapeHtml } from '../render/html/page.js';
import type { Report } from './build-report.js';

const WIDTH = 760;
const LABEL = 220;
const ROW = 30;
const BAR = 12;
const TOP = 26;
const AXIS = 34;
const COLORS = {
  budget: '#e3e8ee',
  budgetEdge: '#8c959f',
  actual: '#0b5cad',
  projected: '#6ea8e0',
  overrun: '#c62828',
  rto: '#c62828',
  recovered: '#2e7d32',
};

/**
 * The run's timeline as an inline SVG (no script, no fonts to fetch): phases laid end to end as they ran,
 * each with its budget as a grey band from where the phase started and its actual (or, in simulate mode,
 * projected) duration as a bar on top, red when it overran; a dashed red line at the RTO and a green one
 * where recovery was measured (red when it was past the RTO; none when the run did not recover); the
 * phase whose step stopped the run carries a red cross and the step's id.
 */
export function timelineChart(r: Report): string {
  const simulated = r.verdict.simulated;
  const g = geometry(r);
  const title = `${r.incident.id} ${simulated ? 'projected' : 'actual'} timeline against phase budgets and the ${formatDuration(r.rto.targetMs)} RTO`;
  return [
    `<svg class="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${g.height}" width="100%" role="img" aria-labelledby="timeline-title">`,
    `<title id="timeline-title">${escapeHtml(title)}</title>`,
    `<style>text { font: 12px system-ui, sans-serif; fill: #1b1f24; } .muted { fill: #59636e; }</style>`,
    ...axis(g),
    ...r.phases.flatMap((p, i) => phaseRow(r, g, i)),
    ...lines(r, g),
    legend(g.height - 8, simulated),
    '</svg>',
  ].join('\n');
}

/** The chart's scale: where each phase starts, and the x position of a time. */
interface Geometry {
  starts: number[];
  span: number;
  bottom: number;
  height: number;
  x: (ms: number) => number;
}

function geometry(r: Report): Geometry {
  const starts = phaseStarts(r);
  const reach = Math.max(...r.phases.map((p, i) => (starts[i] ?? 0) + Math.max(p.budgetMs, p.actualMs ?? 0)), 0);
  const span = Math.max(r.rto.targetMs, reach, r.verdict.ttr.ms ?? 0, 1000) * 1.04;
  const bottom = TOP + r.phases.length * ROW;
  return { starts, span, bottom, height: bottom + AXIS + 18, x: (ms) => LABEL + (ms / span) * (WIDTH - LABEL - 12) };
}

function axis(g: Geometry): string[] {
  return ticks(g.span).flatMap((tick) => {
    const tx = g.x(tick).toFixed(1);
    return [
      `<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${g.bottom}" stroke="#eef1f4"/>`,
      `<text class="muted" x="${tx}" y="${g.bottom + 16}" text-anchor="middle">${tick === 0 ? '0' : formatDuration(tick)}</text>`,
    ];
  });
}

/** One phase: its label, its budget as a grey band, its actual (or projected) bar, and the failed step's cross. */
function phaseRow(r: Report, g: Geometry, i: number): string[] {
  const p = r.phases[i];
  if (!p) return [];
  const { x } = g;
  const simulated = r.verdict.simulated;
  const y = TOP + i * ROW;
  const start = g.starts[i] ?? 0;
  const label = p.title.length > 30 ? `${p.title.slice(0, 29)}…` : p.title;
  const out = [
    `<g class="phase" data-phase="${escapeHtml(p.id)}" data-overrun="${p.overrun}">`,
    `<text x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end"><title>${escapeHtml(p.title)}</title>${escapeHtml(label)}</text>`,
    rect(
      x(start),
      y + (ROW - BAR) / 2 - 3,
      x(start + p.budgetMs) - x(start),
      BAR + 6,
      COLORS.budget,
      `budget ${formatDuration(p.budgetMs)}`,
      COLORS.budgetEdge,
    ),
  ];
  if (p.actualMs !== null) {
    const fill = p.overrun ? COLORS.overrun : simulated ? COLORS.projected : COLORS.actual;
    const what = `${simulated ? 'projected' : 'actual'} ${formatDuration(p.actualMs)} of ${formatDuration(p.budgetMs)}${p.overrun ? ' (over budget)' : ''}`;
    out.push(rect(x(start), y + (ROW - BAR) / 2, Math.max(1.5, x(start + p.actualMs) - x(start)), BAR, fill, what));
  } else {
    out.push(
      `<text class="muted" x="${(x(start + p.budgetMs) + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">not reached</text>`,
    );
  }
  const failedStep = r.verdict.cause ? r.steps.find((s) => s.id === r.verdict.cause?.step) : undefined;
  if (failedStep && failedStep.phase === p.id)
    out.push(failureMark(x(start + (p.actualMs ?? 0)) + 6, y + ROW / 2 + 4, failedStep.id, failedStep.status));
  out.push('</g>');
  return out;
}

/**
 * The dashed red RTO line, and the recovery line: only a run that recovered (or was projected to) gets one,
 * and it is green only within target.
 */
function lines(r: Report, g: Geometry): string[] {
  const out = [
    marker(
      g.x(r.rto.targetMs),
      TOP - 14,
      g.bottom,
      COLORS.rto,
      `RTO ${formatDuration(r.rto.targetMs)}`,
      'rto-line',
      true,
    ),
  ];
  const recoveredMs = r.verdict.ttr.ms;
  if (recoveredMs === null) return out;
  const met = r.verdict.rtoMet === true;
  const label = `${r.verdict.simulated ? 'projected' : 'recovered'} ${formatDuration(recoveredMs)}${met ? '' : ' (over RTO)'}`;
  out.push(
    marker(
      g.x(recoveredMs),
      TOP - 14,
      g.bottom,
      met ? COLORS.recovered : COLORS.overrun,
      label,
      'recovered-line',
      false,
    ),
  );
  return out;
}

/** Where each phase started: the sum of the actual durations before it (phases run one after another). */
function phaseStarts(r: Report): number[] {
  let t = 0;
  return r.phases.map((p) => {
    const start = t;
    t += p.actualMs ?? 0;
    return start;
  });
}

function failureMark(x: number, y: number, step: string, status: string): string {
  return `<g class="failed-step" data-step="${escapeHtml(step)}"><text x="${x.toFixed(1)}" y="${y}" style="fill:${COLORS.overrun};font-weight:600">✘ ${escapeHtml(step)} ${escapeHtml(status)}</text></g>`;
}

function rect(x: number, y: number, w: number, h: number, fill: string, tip: string, stroke?: string): string {
  return `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${Math.max(0, w).toFixed(1)}" height="${h}" rx="2" fill="${fill}"${stroke ? ` stroke="${stroke}" stroke-dasharray="3 2"` : ''}><title>${escapeHtml(tip)}</title></rect>`;
}

function marker(
  x: number,
  top: number,
  bottom: number,
  color: string,
  label: string,
  cls: string,
  dashed: boolean,
): string {
  const anchor = x > WIDTH - 90 ? 'end' : 'start';
  const tx = anchor === 'end' ? x - 4 : x + 4;
  return `<g class="${cls}"><line x1="${x.toFixed(1)}" y1="${top}" x2="${x.toFixed(1)}" y2="${bottom}" stroke="${color}" stroke-width="2"${dashed ? ' stroke-dasharray="6 4"' : ''}/><text x="${tx.toFixed(1)}" y="${top + 9}" text-anchor="${anchor}" style="fill:${color};font-weight:600">${escapeHtml(label)}</text></g>`;
}

function legend(y: number, simulated: boolean): string {
  const items: [string, string][] = [
    [COLORS.budget, 'budget'],
    [simulated ? COLORS.projected : COLORS.actual, simulated ? 'projected' : 'actual'],
    [COLORS.overrun, 'over budget'],
  ];
  return `<g class="legend">${items.map(([color, text], i) => `<rect x="${LABEL + i * 120}" y="${y - 9}" width="12" height="10" fill="${color}"/><text x="${LABEL + i * 120 + 16}" y="${y}">${text}</text>`).join('')}</g>`;
}

/** Round tick values (1s … 1h) so that there are at most about eight of them. */
function ticks(span: number): number[] {
  const steps = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200].map((s) => s * 1000);
  const small = [1, 2, 5, 10, 20, 50, 100, 200, 500];
  const step =
    span < 8000 ? (small.find((s) => span / s <= 8) ?? 1000) : (steps.find((s) => span / s <= 8) ?? 7_200_000);
  const out: number[] = [];
  for (let t = 0; t <= span; t += step) out.push(t);
  return out;
}
