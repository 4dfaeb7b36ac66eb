import { el } from './dom.js';
import { showTabletopStart } from './tabletop-start.js';
import { TabletopRoom } from './tabletop-room.js';

/**
 * The tabletop view (seed 004): `?session=ID` opens that session's room, otherwise the sessions and a form to
 * start one. The answer's `close` stops the room's reads (sign-out, a refused token).
 */
export async function showTabletop(view: HTMLElement): Promise<{ close(): void }> {
  const status = el('p', { class: 'status-line', id: 'status', role: 'status', 'aria-live': 'polite' });
  const body = el('div', {});
  view.replaceChildren(status, body);
  const say = (text: string, bad = false) => {
    status.textContent = text;
    status.className = bad ? 'status-line error' : 'status-line';
  };
  let room: TabletopRoom | undefined;
  const id = new URLSearchParams(location.search).get('session');
  if (id) {
    room = new TabletopRoom(body, id, say);
    await room.open().catch((error: unknown) => {
      room?.close();
      throw error;
    });
  } else {
    await showTabletopStart(body, say, (session) => {
      history.replaceState(null, '', `?session=${encodeURIComponent(session.id)}`);
      say('');
      room = new TabletopRoom(body, session.id, say);
      room.open(session).catch((error: unknown) => {
        say(error instanceof Error ? error.message : String(error), true);
      });
    });
  }
  return {
    close: () => {
      room?.close();
    },
  };
}
