import type { SessionView } from '../../tabletop/session-view.js';
import { byId, el, fill } from './dom.js';
import { roomClock } from './tabletop-clock.js';
import type { RoomParts } from './tabletop-layout.js';

function lines(id: string, items: string[]): void {
  fill(
    byId(id),
    items.map((text) => el('li', {}, text)),
  );
}

/** Everything a read of the session changes; the clock's own text is the tick's. */
export function renderSession(parts: RoomParts, v: SessionView): void {
  document.title = `Tabletop ${v.incident.id} · drillbook`;
  parts.title.textContent = `${v.incident.id} ${v.incident.title}`;
  byId('scenario').textContent = v.scenario;
  lines('triggers', v.triggers);
  // `current` is -1 before the first block and after the last.
  const block = v.current >= 0 ? v.blocks[v.current] : undefined;
  byId('phase-title').textContent = block ? block.title : '';
  byId('phase-time').textContent = block
    ? `${roomClock(block.startMs)} to ${roomClock(block.endMs)} · RTO ${v.incident.rto}`
    : '';
  lines('questions', block ? block.questions : []);
  lines('standing', v.standing);
  renderInjects(v);
  lines(
    'decisions',
    v.decisions.map((d) => `${roomClock(d.clockMs)} ${d.text}`),
  );
  lines(
    'gaps',
    v.gaps.map((g) => `${roomClock(g.clockMs)} ${g.text}`),
  );
  lines(
    'actions',
    v.actions.map((a) => `${roomClock(a.clockMs)} ${a.text} (owner ${a.owner}${a.due ? `, due ${a.due}` : ''})`),
  );
  const ended = v.endedAt !== null;
  parts.clockState.textContent = ended ? 'ended' : v.clock.running ? 'running' : 'paused';
  parts.pause.textContent = v.clock.running ? 'Pause' : 'Resume';
  for (const button of parts.room.querySelectorAll('button')) button.disabled = ended;
  parts.record.hidden = ended;
}

/** The injects delivered so far, newest first and marked, and when the next one is due. */
function renderInjects(v: SessionView): void {
  const newest = v.injects.at(-1)?.n ?? 0;
  fill(
    byId('injects'),
    v.injects
      .slice()
      .reverse()
      .map((inj) =>
        el(
          'li',
          { class: inj.n === newest ? 'inject newest' : 'inject', value: inj.n, 'data-n': inj.n },
          el('span', { class: 'at' }, roomClock(inj.atMs)),
          inj.text,
        ),
      ),
  );
  byId('next-inject').textContent = v.next
    ? `Next inject at ${roomClock(v.next.atMs)} (${v.injects.length} of ${v.injectsPlanned} so far)`
    : `${v.injects.length} of ${v.injectsPlanned} injects delivered`;
}
