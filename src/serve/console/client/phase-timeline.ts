import { formatDuration } from '../../../model/duration.js';
import { el, fill } from './dom.js';
import { phaseElapsed, phaseOver, planStep, type LiveState, type PhaseState } from './live-state.js';

interface PhaseNodes {
  li: HTMLElement;
  overText: HTMLElement;
  time: HTMLElement;
  bar: HTMLElement;
  fill: HTMLElement;
  steps: HTMLElement;
}

const GOOD = new Set(['passed', 'simulated', 'skipped']);

/**
 * The phases with their budget bars. Each phase's elements are made once and then changed in place: the clock
 * moves the bars four times a second, and a screen reader (or a person selecting text) must not lose its place
 * in a list that is rebuilt under it.
 */
export class PhaseTimeline {
  private readonly nodes = new Map<string, PhaseNodes>();

  constructor(private readonly list: HTMLElement) {}

  /** The bars, times and red of every phase at `clock` (ms since the run started). */
  tick(state: LiveState, clock: number): void {
    for (const p of state.phases) this.update(this.nodesOf(p), p, clock);
  }

  /** The steps under each phase with their statuses: on each journal event. */
  steps(state: LiveState): void {
    for (const p of state.phases)
      fill(
        this.nodesOf(p).steps,
        p.steps.map((s) => stepItem(state, s)),
      );
  }

  private nodesOf(p: PhaseState): PhaseNodes {
    const known = this.nodes.get(p.id);
    if (known) return known;
    const overText = el('span', { class: 'over-text' }, ' (over budget)');
    const time = el('span', { class: 'time' });
    const fillBar = el('div', { class: 'fill' });
    const bar = el(
      'div',
      { class: 'budget', role: 'progressbar', 'aria-label': `Budget of phase ${p.title}`, 'aria-valuemin': 0 },
      fillBar,
    );
    const steps = el('ul', { class: 'steps' });
    const li = el(
      'li',
      { class: 'phase', 'data-phase': p.id },
      el('div', { class: 'phase-head' }, el('span', {}, p.title, overText), time),
      bar,
      steps,
    );
    const nodes = { li, overText, time, bar, fill: fillBar, steps };
    this.nodes.set(p.id, nodes);
    this.list.append(li);
    return nodes;
  }

  private update(n: PhaseNodes, p: PhaseState, clock: number): void {
    const elapsed = phaseElapsed(p, clock);
    const over = phaseOver(p, clock);
    const done = p.finishedT !== null;
    const share = p.budgetMs > 0 ? Math.min(1, elapsed / p.budgetMs) : done ? 1 : 0;
    n.li.classList.toggle('over', over);
    n.li.classList.toggle('done', done);
    n.li.classList.toggle('running', p.startedT !== null && !done);
    n.overText.hidden = !over;
    n.time.textContent = `${formatDuration(elapsed)} / ${formatDuration(p.budgetMs)}`;
    n.fill.style.width = `${(share * 100).toFixed(1)}%`;
    n.bar.setAttribute('aria-valuemax', String(p.budgetMs));
    n.bar.setAttribute('aria-valuenow', String(Math.round(Math.min(elapsed, p.budgetMs))));
    n.bar.setAttribute(
      'aria-valuetext',
      `${formatDuration(elapsed)} of ${formatDuration(p.budgetMs)}${over ? ', over budget' : ''}`,
    );
  }
}

function stepItem(state: LiveState, id: string): HTMLElement {
  const s = state.steps.get(id);
  const status = s?.status ?? 'pending';
  const cls = GOOD.has(status) ? 'ok' : status === 'running' ? 'running' : status === 'pending' ? 'muted' : 'bad';
  const title = s?.title ?? planStep(state, id)?.title ?? id;
  return el(
    'li',
    { 'data-step': id, 'data-status': status },
    el('span', { class: `badge ${cls}` }, status),
    el(
      'span',
      {},
      title,
      s?.durationMs != null ? el('span', { class: 'muted' }, ` ${formatDuration(s.durationMs)}`) : null,
    ),
  );
}
