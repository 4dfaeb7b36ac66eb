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
  // Only a run that recovered (or was projected to) gets a recovery line, and it is green only within target.
  const recoveredMs = r.verdict.ttr.ms;
  const failedStep = r.verdict.cause ? r.steps.find((s) => s.id === r.verdict.cause?.step) : undefined;
  const starts = phaseStarts(r);
  const reach = Math.max(...r.phases.map((p, i) => (starts[i] ?? 0) + Math.max(p.budgetMs, p.actualMs ?? 0)), 0);
  const span = Math.max(r.rto.targetMs, reach, recoveredMs ?? 0, 1000) * 1.04;
  const x = (ms: number) => LABEL + (ms / span) * (WIDTH - LABEL - 12);
  const height = TOP + r.phases.length * ROW + AXIS + 18;
  const out: string[] = [];
  const title = `${r.incident.id} ${simulated ? 'projected' : 'actual'} timeline against phase budgets and the ${formatDuration(r.rto.targetMs)} RTO`;
  out.push(
    `<svg class="timeline-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" width="100%" role="img" aria-labelledby="timeline-title">`,
  );
  out.push(`<title id="timeline-title">${escapeHtml(title)}</title>`);
  out.push(`<style>text { font: 12px system-ui, sans-serif; fill: #1b1f24; } .muted { fill: #59636e; }</style>`);

  for (const tick of ticks(span)) {
    const tx = x(tick).toFixed(1);
    out.push(`<line x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${TOP + r.phases.length * ROW}" stroke="#eef1f4"/>`);
    out.push(
      `<text class="muted" x="${tx}" y="${TOP + r.phases.length * ROW + 16}" text-anchor="middle">${tick === 0 ? '0' : formatDuration(tick)}</text>`,
    );
  }
  r.phases.forEach((p, i) => {
    const y = TOP + i * ROW;
    const start = starts[i] ?? 0;
    const label = p.title.length > 30 ? `${p.title.slice(0, 29)}…` : p.title;
    out.push(`<g class="phase" data-phase="${escapeHtml(p.id)}" data-overrun="${p.overrun}">`);
    out.push(
      `<text x="${LABEL - 8}" y="${y + ROW / 2 + 4}" text-anchor="end"><title>${escapeHtml(p.title)}</title>${escapeHtml(label)}</text>`,
    );
    out.push(
      rect(
        x(start),
        y + (ROW - BAR) / 2 - 3,
        x(start + p.budgetMs) - x(start),
        BAR + 6,
        COLORS.budget,
        `budget ${formatDuration(p.budgetMs)}`,
        COLORS.budgetEdge,
      ),
    );
    if (p.actualMs !== null) {
      const fill = p.overrun ? COLORS.overrun : simulated ? COLORS.projected : COLORS.actual;
      const what = `${simulated ? 'projected' : 'actual'} ${formatDuration(p.actualMs)} of ${formatDuration(p.budgetMs)}${p.overrun ? ' (over budget)' : ''}`;
      out.push(rect(x(start), y + (ROW - BAR) / 2, Math.max(1.5, x(start + p.actualMs) - x(start)), BAR, fill, what));
    } else {
      out.push(
        `<text class="muted" x="${(x(start + p.budgetMs) + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">not reached</text>`,
      );
    }
    if (failedStep && failedStep.phase === p.id)
      out.push(failureMark(x(start + (p.actualMs ?? 0)) + 6, y + ROW / 2 + 4, failedStep.id, failedStep.status));
    out.push('</g>');
  });
  const bottom = TOP + r.phases.length * ROW;
  out.push(
    marker(x(r.rto.targetMs), TOP - 14, bottom, COLORS.rto, `RTO ${formatDuration(r.rto.targetMs)}`, 'rto-line', true),
  );
  if (recoveredMs !== null) {
    const color = r.verdict.rtoMet === true ? COLORS.recovered : COLORS.overrun;
    out.push(
      marker(
        x(recoveredMs),
        TOP - 14,
        bottom,
        color,
        `${simulated ? 'projected' : 'recovered'} ${formatDuration(recoveredMs)}${r.verdict.rtoMet === true ? '' : ' (over RTO)'}`,
        'recovered-line',
        false,
      ),
    );
  }
  out.push(legend(height - 8, simulated));
  out.push('</svg>');
  return out.join('\n');
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
