import { el, fill } from './dom.js';
import { apiJson, postJson } from './session.js';
import type { SessionView } from '../../tabletop/session-view.js';

interface IncidentItem {
  runbook: string;
  id: string;
  title: string;
}

interface SessionItem {
  id: string;
  incident: string;
  runbook: string;
  startedAt: string;
  endedAt: string | null;
  facilitator: string;
}

/**
 * Without `?session=`: a form to start a session for a registered incident and the sessions so far, each a link
 * into its room. `started` opens the room of the session just started.
 */
export async function showTabletopStart(
  view: HTMLElement,
  say: (text: string, bad?: boolean) => void,
  started: (session: SessionView) => void,
): Promise<void> {
  const select = el('select', { id: 'incident', name: 'incident', required: true });
  const form = el(
    'form',
    { id: 'start-form', class: 'record' },
    el('label', { for: 'incident' }, 'Incident'),
    select,
    el('button', { type: 'submit' }, 'Start session'),
  );
  const sessions = el('ul', { id: 'sessions' });
  fill(
    view,
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'h-start' },
      el('h2', { id: 'h-start' }, 'Start a session'),
      form,
    ),
    el(
      'section',
      { class: 'card', 'aria-labelledby': 'h-sessions' },
      el('h2', { id: 'h-sessions' }, 'Sessions'),
      sessions,
    ),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    // The option's value is `runbook\nincident`: neither a runbook's name nor an incident id holds a newline.
    const [runbook, incident] = select.value.split('\n');
    postJson<SessionView>('/api/tabletop/sessions', { runbook, incident }).then(started, (error: unknown) => {
      say(error instanceof Error ? error.message : String(error), true);
    });
  });
  const { incidents } = await apiJson<{ incidents: IncidentItem[] }>('/api/incidents');
  fill(
    select,
    incidents.map((i) => el('option', { value: `${i.runbook}\n${i.id}` }, `${i.runbook} · ${i.id} ${i.title}`)),
  );
  const list = (await apiJson<{ sessions: SessionItem[] }>('/api/tabletop/sessions')).sessions;
  fill(sessions, list.length === 0 ? el('li', { class: 'empty' }, 'No session yet.') : list.map(sessionLine));
}

function sessionLine(s: SessionItem): HTMLLIElement {
  const when = `${new Date(s.startedAt).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return el(
    'li',
    {},
    el(
      'a',
      { href: `?session=${encodeURIComponent(s.id)}` },
      `${s.incident} · ${s.runbook} · ${when}${s.endedAt ? ' (ended)' : ''}`,
    ),
    ` by ${s.facilitator}`,
  );
}
