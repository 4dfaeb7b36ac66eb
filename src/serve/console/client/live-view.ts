import type { Plan, PlanStep } from '../../../plan/plan-types.js';
import type { JournalEvent } from '../../../journal/events.js';
import type { Report } from '../../../report/build-report.js';
import { formatDuration } from '../../../model/duration.js';
import { causeLines, verdictHeadline, verdictLine } from '../../../verdict/verdict-text.js';
import { el, fill } from './dom.js';
import { eventText } from './event-text.js';
import {
  apply,
  clockNow,
  emptyState,
  phaseElapsed,
  phaseOver,
  planStep,
  type LiveState,
  type PhaseState,
} from './live-state.js';
import { openRunStream, type RunStream } from './run-stream.js';
import { ApiError, apiJson, messageOf } from './session.js';

/** How often the clocks and budget bars move between events. */
const TICK_MS = 250;

interface Parts {
  status: HTMLElement;
  verdict: HTMLElement;
  heading: HTMLElement;
  clocks: HTMLElement;
  phases: HTMLElement;
  current: HTMLElement;
  log: HTMLOListElement;
}

/** The live view of one run: phases with their budgets, the RTO countdown, the current step, the log, the verdict. */
export async function showRun(view: HTMLElement, id: string): Promise<RunStream> {
  const parts = layout(view);
  const plan = await apiJson<Plan>(`/api/runs/${encodeURIComponent(id)}/plan`).catch((error: unknown) => {
    // Before a run has a journal its plan still comes from the request; only a missing run is fatal.
    if (error instanceof ApiError && error.status === 404) throw error;
    return null;
  });
  const state = emptyState(plan);
  const draw = () => {
    drawAll(state, parts);
  };
  draw();
  const timer = window.setInterval(draw, TICK_MS);
  const stream = openRunStream(
    id,
    (e) => {
      apply(state, e);
      // A plan read before the run started lacks the run's own variables: read it again from its journal.
      if (e.type === 'run-started') void refreshPlan(state, id).then(draw);
      appendLog(parts.log, e.id, e.data as JournalEvent);
      draw();
      if (state.finished) {
        parts.status.textContent = 'The run has finished.';
        void showVerdict(parts.verdict, id);
      }
    },
    (s, detail) => {
      parts.status.textContent =
        s === 'live'
          ? 'Live: following the journal'
          : s === 'ended'
            ? `The stream has ended${detail ? `: ${detail}` : ' (the run is done)'}`
            : 'Connection lost: reconnecting…';
      if (s === 'ended') window.clearInterval(timer);
    },
  );
  return {
    drop: () => {
      stream.drop();
    },
    close: () => {
      window.clearInterval(timer);
      stream.close();
    },
  };
}

async function refreshPlan(state: LiveState, id: string): Promise<void> {
  try {
    state.plan = await apiJson<Plan>(`/api/runs/${encodeURIComponent(id)}/plan`);
  } catch {
    // The plan only adds commands and expectations to the view; the journal's events still drive it.
  }
}

function layout(view: HTMLElement): Parts {
  const parts: Parts = {
    status: el('p', { class: 'status-line', role: 'status' }, 'Connecting…'),
    verdict: el('div', { id: 'verdict' }),
    heading: el('h2', { id: 'run-title' }, 'Run'),
    clocks: el('div', { class: 'clocks' }),
    phases: el('ol', { class: 'phases', id: 'phases' }),
    current: el('div', { class: 'current', id: 'current' }),
    log: el('ol', {
      class: 'log',
      id: 'log',
      'aria-live': 'polite',
      'aria-relevant': 'additions',
      'aria-label': 'Event log',
    }),
  };
  fill(
    view,
    parts.status,
    parts.verdict,
    parts.heading,
    parts.clocks,
    el(
      'div',
      { class: 'grid' },
      el(
        'section',
        { class: 'card', 'aria-labelledby': 'phases-h' },
        el('h2', { id: 'phases-h' }, 'Phases'),
        parts.phases,
      ),
      el(
        'div',
        {},
        el(
          'section',
          { class: 'card', 'aria-labelledby': 'current-h' },
          el('h2', { id: 'current-h' }, 'Current step'),
          parts.current,
        ),
        el('section', { class: 'card', 'aria-labelledby': 'log-h' }, el('h2', { id: 'log-h' }, 'Event log'), parts.log),
      ),
    ),
  );
  return parts;
}

function drawAll(state: LiveState, parts: Parts): void {
  const clock = clockNow(state);
  const inc = state.started?.incident ?? state.plan?.incident;
  if (inc) {
    const who = state.started ? ` · ${state.started.mode} · operator ${state.started.operator}` : '';
    parts.heading.textContent = `${inc.id} ${inc.title}${who}`;
  }
  drawClocks(state, parts.clocks, clock);
  fill(
    parts.phases,
    state.phases.map((p) => phaseItem(state, p, clock)),
  );
  drawCurrent(state, parts.current, clock);
}

function drawClocks(state: LiveState, clocks: HTMLElement, clock: number): void {
  const rtoMs = state.started?.incident.rtoMs ?? state.plan?.incident.rtoMs ?? 0;
  const left = rtoMs - clock;
  const over = left < 0 || state.rtoOverrun;
  const label = over ? 'RTO passed by' : state.finished ? 'Margin to RTO' : 'RTO left';
  fill(
    clocks,
    el('div', {}, el('span', { class: 'muted' }, 'Elapsed'), el('b', { id: 'elapsed' }, formatDuration(clock))),
    el(
      'div',
      { class: over ? 'rto-over' : '' },
      el('span', { class: over ? '' : 'muted' }, label),
      el('b', { id: 'rto-left' }, formatDuration(Math.abs(left))),
    ),
    el('div', {}, el('span', { class: 'muted' }, 'RTO target'), el('b', {}, formatDuration(rtoMs))),
  );
}

function phaseItem(state: LiveState, p: PhaseState, clock: number): HTMLElement {
  const elapsed = phaseElapsed(p, clock);
  const over = phaseOver(p, clock);
  const done = p.finishedT !== null;
  const share = p.budgetMs > 0 ? Math.min(1, elapsed / p.budgetMs) : done ? 1 : 0;
  const bar = el('div', {
    class: 'budget',
    role: 'progressbar',
    'aria-label': `Budget of phase ${p.title}`,
    'aria-valuemin': 0,
    'aria-valuemax': p.budgetMs,
    'aria-valuenow': Math.round(Math.min(elapsed, p.budgetMs)),
    'aria-valuetext': `${formatDuration(elapsed)} of ${formatDuration(p.budgetMs)}${over ? ', over budget' : ''}`,
  });
  const fillBar = el('div', { class: 'fill' });
  fillBar.style.width = `${(share * 100).toFixed(1)}%`;
  bar.append(fillBar);
  const cls = ['phase', over ? 'over' : '', done ? 'done' : '', p.startedT !== null && !done ? 'running' : ''];
  return el(
    'li',
    { class: cls.filter(Boolean).join(' '), 'data-phase': p.id },
    el(
      'div',
      { class: 'phase-head' },
      el('span', {}, p.title, over ? el('span', { class: 'over-text' }, ' (over budget)') : null),
      el('span', { class: 'time' }, `${formatDuration(elapsed)} / ${formatDuration(p.budgetMs)}`),
    ),
    bar,
    el(
      'ul',
      { class: 'steps' },
      p.steps.map((s) => stepItem(state, s)),
    ),
  );
}

const GOOD = new Set(['passed', 'simulated', 'skipped']);

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

function drawCurrent(state: LiveState, current: HTMLElement, clock: number): void {
  const id = state.current;
  if (id === null && state.waiting) {
    drawWaiting(state, current);
    return;
  }
  if (id === null) {
    fill(current, el('p', { class: 'empty' }, state.finished ? 'The run has finished.' : 'No step is running.'));
    return;
  }
  const s = state.steps.get(id);
  const step = planStep(state, id);
  const rows: [string, Node | string][] = [
    ['Step', `${s?.title ?? id} (${id})`],
    ...action(step),
    ['Expected', step?.expected ?? 'success (exit code 0)'],
    ['Operator', state.started?.operator ?? 'unknown'],
    ['Running for', formatDuration(Math.max(0, clock - (s?.startedT ?? clock)))],
  ];
  fill(
    current,
    el(
      'dl',
      { 'data-step': id },
      rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
    ),
  );
}

/** A step that waits for a second person: what it will run, who may approve it, and the time left. */
function drawWaiting(state: LiveState, current: HTMLElement): void {
  const w = state.waiting;
  if (!w) return;
  const step = planStep(state, w.step);
  const left = Math.max(0, Date.parse(w.deadline) - Date.now());
  const rows: [string, Node | string][] = [
    ['Step', `${step?.title ?? w.step} (${w.step})`],
    ...action(step),
    ['Why', w.why],
    ['Approvers', w.approvers.join(', ') || 'any approver but the starter'],
    ['Asked by', w.requestedBy],
    ['Time left', formatDuration(Math.ceil(left / 1000) * 1000)],
  ];
  fill(
    current,
    el(
      'p',
      { class: 'warn', 'data-waiting': w.step },
      'Waiting for approval: ',
      el('a', { href: '/console/approvals' }, 'open the inbox'),
    ),
    el(
      'dl',
      {},
      rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
    ),
  );
}

/** What the step does: its command, check, wait or instruction, as the plan has it. */
function action(step: PlanStep | undefined): [string, Node | string][] {
  if (!step) return [];
  const c = step.command;
  if (c) return [['Command', el('pre', {}, el('code', {}, c.argv ? c.argv.join(' ') : (c.script ?? '')))]];
  if (step.manual) return [['Instruction', step.manual]];
  if (step.check) return [['Check', el('pre', {}, el('code', {}, JSON.stringify(step.check)))]];
  if (step.wait) return [['Wait for', el('pre', {}, el('code', {}, JSON.stringify(step.wait)))]];
  if (step.notify) return [['Message', step.notify.text]];
  return [];
}

function appendLog(log: HTMLOListElement, seq: number, ev: JournalEvent): void {
  const { text, bad } = eventText(ev);
  log.append(
    el(
      'li',
      { 'data-event-id': seq, class: bad ? 'bad' : '' },
      el('span', { class: 'seq' }, `#${seq} +${formatDuration(ev.t)}`),
      text,
    ),
  );
  log.scrollTop = log.scrollHeight;
}

/** The verdict banner of the HTML report (same words, same colours), from the report rebuilt from the store. */
async function showVerdict(box: HTMLElement, id: string): Promise<void> {
  if (box.dataset.shown) return;
  box.dataset.shown = 'yes';
  try {
    const report = await apiJson<Report>(`/api/runs/${encodeURIComponent(id)}/report?format=json`);
    const v = report.verdict;
    const cause = causeLines(v);
    fill(
      box,
      el(
        'div',
        { class: `verdict ${v.withinTarget ? 'ok' : 'bad'}`, role: 'status', 'data-outcome': v.outcome },
        el('p', { class: 'headline' }, verdictHeadline(v)),
        el('p', {}, verdictLine(v)),
        cause.length > 0 ? el('pre', { class: 'cause' }, cause.join('\n')) : null,
      ),
    );
  } catch (error) {
    box.dataset.shown = '';
    fill(box, el('p', { class: 'error', role: 'alert' }, `The verdict could not be read: ${messageOf(error)}`));
  }
}
