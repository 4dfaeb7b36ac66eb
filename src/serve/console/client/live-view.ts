import type { Plan, PlanStep } from '../../../plan/plan-types.js';
import type { JournalEvent } from '../../../journal/events.js';
import type { Report } from '../../../report/build-report.js';
import { formatDuration } from '../../../model/duration.js';
import { causeLines, verdictHeadline, verdictLine } from '../../../verdict/verdict-text.js';
import { el, fill } from './dom.js';
import { eventText } from './event-text.js';
import { apply, clockNow, emptyState, planStep, type LiveState } from './live-state.js';
import { PhaseTimeline } from './phase-timeline.js';
import { openRunStream, type RunStream } from './run-stream.js';
import { ApiError, apiJson, messageOf } from './session.js';

/** How often the clocks and budget bars move between events. */
const TICK_MS = 250;

interface Parts {
  status: HTMLElement;
  verdict: HTMLElement;
  heading: HTMLElement;
  clocks: Clocks;
  phases: PhaseTimeline;
  current: HTMLElement;
  log: HTMLOListElement;
}

/** The three clocks, made once; the tick changes their text and colour. */
interface Clocks {
  box: HTMLElement;
  elapsed: HTMLElement;
  rto: HTMLElement;
  rtoLabel: HTMLElement;
  rtoLeft: HTMLElement;
  target: HTMLElement;
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
  // Every event redraws what it changes; between events the clock moves the bars, the clocks and the timers.
  const draw = () => {
    drawEvent(state, parts);
  };
  const tick = () => {
    drawTick(state, parts);
  };
  draw();
  const timer = window.setInterval(tick, TICK_MS);
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
  const phaseList = el('ol', { class: 'phases', id: 'phases' });
  const parts: Parts = {
    status: el('p', { class: 'status-line', role: 'status' }, 'Connecting…'),
    verdict: el('div', { id: 'verdict' }),
    heading: el('h2', { id: 'run-title' }, 'Run'),
    clocks: makeClocks(),
    phases: new PhaseTimeline(phaseList),
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
    parts.clocks.box,
    el(
      'div',
      { class: 'grid' },
      el(
        'section',
        { class: 'card', 'aria-labelledby': 'phases-h' },
        el('h2', { id: 'phases-h' }, 'Phases'),
        phaseList,
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

function drawEvent(state: LiveState, parts: Parts): void {
  const inc = state.started?.incident ?? state.plan?.incident;
  if (inc) {
    const who = state.started ? ` · ${state.started.mode} · operator ${state.started.operator}` : '';
    parts.heading.textContent = `${inc.id} ${inc.title}${who}`;
  }
  parts.phases.steps(state);
  drawCurrent(state, parts.current);
  drawTick(state, parts);
}

function drawTick(state: LiveState, parts: Parts): void {
  const clock = clockNow(state);
  drawClocks(state, parts.clocks, clock);
  parts.phases.tick(state, clock);
  // The current step's timers: how long it has run, how long an approval may still take.
  for (const dd of parts.current.querySelectorAll<HTMLElement>('[data-since]'))
    dd.textContent = formatDuration(Math.max(0, clock - Number(dd.dataset.since)));
  for (const dd of parts.current.querySelectorAll<HTMLElement>('[data-until]'))
    dd.textContent = formatDuration(
      Math.ceil(Math.max(0, Date.parse(dd.dataset.until ?? '') - Date.now()) / 1000) * 1000,
    );
}

function makeClocks(): Clocks {
  const elapsed = el('b', { id: 'elapsed' });
  const rtoLabel = el('span', {});
  const rtoLeft = el('b', { id: 'rto-left' });
  const rto = el('div', {}, rtoLabel, rtoLeft);
  const target = el('b', {});
  const box = el(
    'div',
    { class: 'clocks' },
    el('div', {}, el('span', { class: 'muted' }, 'Elapsed'), elapsed),
    rto,
    el('div', {}, el('span', { class: 'muted' }, 'RTO target'), target),
  );
  return { box, elapsed, rto, rtoLabel, rtoLeft, target };
}

function drawClocks(state: LiveState, c: Clocks, clock: number): void {
  const rtoMs = state.started?.incident.rtoMs ?? state.plan?.incident.rtoMs ?? 0;
  const left = rtoMs - clock;
  const over = left < 0 || state.rtoOverrun;
  c.elapsed.textContent = formatDuration(clock);
  c.rto.classList.toggle('rto-over', over);
  c.rtoLabel.className = over ? '' : 'muted';
  c.rtoLabel.textContent = over ? 'RTO passed by' : state.finished ? 'Margin to RTO' : 'RTO left';
  c.rtoLeft.textContent = formatDuration(Math.abs(left));
  c.target.textContent = formatDuration(rtoMs);
}

function drawCurrent(state: LiveState, current: HTMLElement): void {
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
  ];
  const since = el('dd', { 'data-since': s?.startedT ?? 0 });
  fill(
    current,
    el(
      'dl',
      { 'data-step': id },
      rows.flatMap(([k, v]) => [el('dt', {}, k), el('dd', {}, v)]),
      el('dt', {}, 'Running for'),
      since,
    ),
  );
}

/** A step that waits for a second person: what it will run, who may approve it, and the time left. */
function drawWaiting(state: LiveState, current: HTMLElement): void {
  const w = state.waiting;
  if (!w) return;
  const step = planStep(state, w.step);
  const rows: [string, Node | string][] = [
    ['Step', `${step?.title ?? w.step} (${w.step})`],
    ...action(step),
    ['Why', w.why],
    ['Approvers', w.approvers.join(', ') || 'any approver but the starter'],
    ['Asked by', w.requestedBy],
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
      el('dt', {}, 'Time left'),
      el('dd', { 'data-until': w.deadline }),
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
