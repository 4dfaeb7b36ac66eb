import { el } from './dom.js';

/** The room's parts that each read of the session fills in, found by id (the tests and screen readers use them). */
export interface RoomParts {
  room: HTMLElement;
  title: HTMLElement;
  clock: HTMLElement;
  clockState: HTMLElement;
  pause: HTMLButtonElement;
  record: HTMLElement;
  report: HTMLElement;
}

const card = (id: string, title: string, ...children: Node[]) =>
  el('section', { class: 'card', id, 'aria-labelledby': `h-${id}` }, el('h2', { id: `h-${id}` }, title), ...children);

/** The clock bar: the exercise clock and the facilitator's buttons, kept in sight while the page scrolls. */
function clockBar(): HTMLElement {
  return el(
    'div',
    { class: 'clock-bar' },
    el(
      'div',
      {},
      el('span', { class: 'clock-label', id: 'clock-label' }, 'Exercise clock'),
      el('span', { class: 'clock', id: 'clock', role: 'timer', 'aria-labelledby': 'clock-label' }, 'T+0:00:00'),
      el('span', { class: 'clock-state', id: 'clock-state' }),
    ),
    el(
      'div',
      { class: 'controls', role: 'group', 'aria-label': 'Clock (facilitator)' },
      el('button', { type: 'button', id: 'pause' }, 'Pause'),
      el('button', { type: 'button', id: 'advance-1', class: 'secondary' }, '+1 min'),
      el('button', { type: 'button', id: 'advance-5', class: 'secondary' }, '+5 min'),
      el('button', { type: 'button', id: 'end', class: 'danger' }, 'End session'),
    ),
  );
}

function textForm(kind: string, id: string, label: string, button: string, ...extra: Node[]): HTMLFormElement {
  return el(
    'form',
    { class: 'record', 'data-kind': kind },
    el('label', { for: id }, label),
    el('textarea', { id, name: 'text', required: true }),
    ...extra,
    el('button', { type: 'submit' }, button),
  );
}

function recordCard(): HTMLElement {
  const field = (id: string, name: string, label: string, attrs: Record<string, string | boolean> = {}) =>
    el('div', {}, el('label', { for: id }, label), el('input', { id, name, ...attrs }));
  return card(
    'record',
    'Record',
    textForm('decisions', 'decision-text', 'Decision', 'Record decision'),
    textForm('gaps', 'gap-text', 'Gap found', 'Record gap'),
    textForm(
      'actions',
      'action-text',
      'Action item',
      'Record action item',
      el(
        'div',
        { class: 'pair' },
        field('action-owner', 'owner', 'Owner', { required: true }),
        field('action-due', 'due', 'Due (optional)', { placeholder: '2026-01-31' }),
      ),
    ),
  );
}

function sessionColumn(): HTMLElement {
  return el(
    'div',
    {},
    card(
      'scenario-card',
      'Scenario',
      el('blockquote', { id: 'scenario' }),
      el('p', {}, el('strong', {}, 'What the team sees:')),
      el('ul', { id: 'triggers' }),
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'h-phase' },
      el('h2', { id: 'h-phase' }, 'Now: ', el('span', { id: 'phase-title' })),
      el('p', { class: 'status-line', id: 'phase-time' }),
      el('p', {}, el('strong', {}, 'Discussion questions')),
      el('ol', { id: 'questions' }),
      el('details', {}, el('summary', {}, 'Keep asking, in every phase'), el('ol', { id: 'standing' })),
    ),
    card(
      'injects-card',
      'Injects',
      el('p', { class: 'status-line', id: 'next-inject' }),
      el('ol', { id: 'injects', 'aria-live': 'polite', 'aria-relevant': 'additions' }),
    ),
  );
}

function recordedCard(): HTMLElement {
  return card(
    'recorded',
    'Recorded',
    el('h3', {}, 'Decisions'),
    el('ol', { id: 'decisions' }),
    el('h3', {}, 'Gaps'),
    el('ol', { id: 'gaps' }),
    el('h3', {}, 'Action items'),
    el('ol', { id: 'actions' }),
  );
}

/** The room, empty: the session's reads fill it in. */
export function roomLayout(): RoomParts {
  const record = recordCard();
  const report = el('section', { id: 'report', class: 'report', hidden: true, 'aria-label': 'Post-drill report' });
  const title = el('h2', { id: 'title', class: 'room-title' }, 'Tabletop session');
  const bar = clockBar();
  const room = el(
    'section',
    { id: 'room', 'aria-labelledby': 'title' },
    title,
    bar,
    el('div', { class: 'grid' }, sessionColumn(), el('div', {}, record, recordedCard())),
    report,
  );
  const find = (id: string) => room.querySelector(`#${id}`) as HTMLElement;
  return {
    room,
    title,
    clock: find('clock'),
    clockState: find('clock-state'),
    pause: find('pause') as HTMLButtonElement,
    record,
    report,
  };
}
