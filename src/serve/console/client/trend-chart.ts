import { formatDuration } from '../../../model/duration.js';
import { svg } from './dom.js';

const W = 120;
const H = 32;
const PAD = 3;

/**
 * An incident's measured times to recover (oldest first) as a small line chart, with its RTO target as a
 * dashed line: a point above the line missed the target. The chart has a text title for screen readers.
 */
export function trendChart(ttrs: number[], targetMs: number, label: string): SVGElement {
  // The RTO line is drawn when it is near the measured times; far above them it would flatten them to the floor.
  const worst = Math.max(...ttrs, 1);
  const showTarget = targetMs > 0 && targetMs <= worst * 3;
  const top = Math.max(showTarget ? targetMs : 0, worst) * 1.15;
  const x = (i: number) => PAD + (ttrs.length <= 1 ? (W - 2 * PAD) / 2 : (i * (W - 2 * PAD)) / (ttrs.length - 1));
  const y = (ms: number) => H - PAD - (ms / top) * (H - 2 * PAD);
  const points = ttrs.map((v, i) => `${x(i).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const title = `${label}: ${ttrs.map((v) => formatDuration(v)).join(', ') || 'no measured runs'}; RTO ${formatDuration(targetMs)}${showTarget ? ' (dashed line)' : ', far above them'}`;
  return svg(
    'svg',
    { width: W, height: H, viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': title },
    svg('title', {}, title),
    showTarget &&
      svg('line', {
        x1: 0,
        x2: W,
        y1: y(targetMs),
        y2: y(targetMs),
        stroke: '#c62828',
        'stroke-dasharray': '3 2',
        'stroke-width': 1,
      }),
    ttrs.length > 1 ? svg('polyline', { points, fill: 'none', stroke: '#0b5cad', 'stroke-width': 1.6 }) : null,
    ...ttrs.map((v, i) => svg('circle', { cx: x(i), cy: y(v), r: 2.4, fill: v > targetMs ? '#c62828' : '#2e7d32' })),
  );
}
