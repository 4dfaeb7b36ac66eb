import { showApprovals } from './approvals.js';
import { showBoard } from './board.js';
import { byId, el, fill, inputById } from './dom.js';
import { showHistory } from './history.js';
import { showRun } from './live-view.js';
import type { RunStream } from './run-stream.js';
import { showRunsIndex } from './runs-list.js';
import { showTabletop } from './tabletop.js';
import { apiJson, forgetToken, messageOf, saveToken, token, whenSignedOut, type Me } from './session.js';

declare global {
  interface Window {
    /** Test hooks: `dropStream()` cuts the live view's SSE connection as a network drop would. */
    drillbookConsole?: { dropStream(): void };
  }
}

let stream: RunStream | undefined;
/** What the open view keeps running (a stream, a room's reads), stopped when the person signs out. */
let running: { close(): void } | undefined;
window.drillbookConsole = { dropStream: () => stream?.drop() };

/** Shows the sign-in form (with why, after a refusal); a token pasted there is checked before it is kept. */
function signIn(message = ''): void {
  const form = byId('signin') as HTMLFormElement;
  const view = byId('view');
  running?.close();
  running = undefined;
  view.hidden = true;
  form.hidden = false;
  byId('signin-error').textContent = message;
  byId('who').replaceChildren();
  inputById('token').focus();
  form.onsubmit = (event) => {
    event.preventDefault();
    const value = inputById('token').value.trim();
    if (value === '') return;
    saveToken(value);
    form.hidden = true;
    view.hidden = false;
    void start();
  };
}

async function start(): Promise<void> {
  if (token() === null) {
    signIn();
    return;
  }
  const view = byId('view');
  let me: Me;
  try {
    me = await apiJson<Me>('/api/me');
  } catch (error) {
    signIn(messageOf(error));
    return;
  }
  const out = el('button', { type: 'button', class: 'secondary' }, 'Sign out');
  out.addEventListener('click', () => {
    forgetToken();
    signIn('Signed out.');
  });
  fill(byId('who'), `${me.name} (${me.role}) `, out);
  view.setAttribute('aria-busy', 'true');
  try {
    await showView(document.body.dataset.view ?? 'live', view, me);
  } catch (error) {
    fill(view, el('p', { class: 'error', role: 'alert' }, messageOf(error)));
  } finally {
    view.setAttribute('aria-busy', 'false');
  }
}

async function showView(name: string, view: HTMLElement, me: Me): Promise<void> {
  const run = new URLSearchParams(location.search).get('run');
  if (name === 'live' && run) running = stream = await showRun(view, run);
  else if (name === 'live') showRunsIndex(view);
  else if (name === 'approvals') showApprovals(view, me);
  else if (name === 'board') await showBoard(view);
  else if (name === 'history') showHistory(view);
  else if (name === 'tabletop') running = await showTabletop(view);
}

whenSignedOut((message) => {
  signIn(message);
});
void start();
