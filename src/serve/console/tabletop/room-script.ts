/**
 * The room's browser script, served as /console/tabletop/room.js: a string here, so the CLI bundle carries it
 * (no asset file to locate at run time). Plain ES2020, no dependencies; it writes text with textContent only.
 */
export const ROOM_SCRIPT = String.raw`// The tabletop room: reads the session every second over the API (which is what delivers injects whose time
// has come), ticks the clock between reads, and posts what the facilitator records. Text goes in as text.
const TOKEN_KEY = 'drillbook.token';
const $ = (id) => document.getElementById(id);
const state = { id: new URLSearchParams(location.search).get('session'), view: null, readAt: 0, lastInject: 0 };

function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

function say(text, bad) {
  const status = $('status');
  status.textContent = text || '';
  status.className = bad ? 'bad' : '';
}

async function api(method, path, body) {
  const headers = { authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const type = response.headers.get('content-type') || '';
  const answer = type.includes('json') ? await response.json() : await response.text();
  if (response.status === 401) {
    sessionStorage.removeItem(TOKEN_KEY);
    show('signin');
  }
  if (!response.ok) throw new Error(answer && answer.error ? answer.error : 'the service answered ' + response.status);
  return answer;
}

function show(section) {
  for (const id of ['signin', 'start', 'room']) $(id).hidden = id !== section;
}

/** T+h:mm:ss on the exercise clock. */
function clock(ms) {
  const total = Math.floor(ms / 1000);
  const two = (n) => String(n).padStart(2, '0');
  return 'T+' + Math.floor(total / 3600) + ':' + two(Math.floor((total % 3600) / 60)) + ':' + two(total % 60);
}

function fill(list, items, line) {
  const el = $(list);
  el.replaceChildren(...items.map((item) => {
    const li = document.createElement('li');
    line(li, item);
    return li;
  }));
}

function text(li, value) {
  li.append(document.createTextNode(value));
}

function clockNow() {
  const v = state.view;
  if (!v) return 0;
  return v.clock.ms + (v.clock.running ? performance.now() - state.readAt : 0);
}

function tick() {
  if (!state.view) return;
  $('clock').textContent = clock(clockNow());
}

function render(v) {
  state.view = v;
  state.readAt = performance.now();
  document.title = 'Tabletop ' + v.incident.id + ' · drillbook';
  $('title').textContent = 'Tabletop: ' + v.incident.id + ' ' + v.incident.title;
  $('scenario').textContent = v.scenario;
  fill('triggers', v.triggers, text);
  const block = v.blocks[v.current];
  $('phase-title').textContent = block ? block.title : '';
  $('phase-time').textContent = block ? clock(block.startMs) + ' to ' + clock(block.endMs) + ' · RTO ' + v.incident.rto : '';
  fill('questions', block ? block.questions : [], text);
  fill('standing', v.standing, text);
  renderInjects(v);
  fill('decisions', v.decisions, (li, d) => text(li, clock(d.clockMs) + ' ' + d.text));
  fill('gaps', v.gaps, (li, g) => text(li, clock(g.clockMs) + ' ' + g.text));
  fill('actions', v.actions, (li, a) => text(li, clock(a.clockMs) + ' ' + a.text + ' (owner ' + a.owner + (a.due ? ', due ' + a.due : '') + ')'));
  const ended = v.endedAt !== null;
  $('clock-state').textContent = ended ? 'ended' : v.clock.running ? 'running' : 'paused';
  $('pause').textContent = v.clock.running ? 'Pause' : 'Resume';
  for (const button of document.querySelectorAll('#room button')) button.disabled = ended;
  $('record').hidden = ended;
  tick();
}

function renderInjects(v) {
  const newest = v.injects.length > 0 ? v.injects[v.injects.length - 1].n : 0;
  fill('injects', v.injects.slice().reverse(), (li, inj) => {
    li.className = 'inject' + (inj.n === newest ? ' newest' : '');
    li.value = inj.n;
    li.dataset.n = String(inj.n);
    const at = document.createElement('span');
    at.className = 'at';
    at.textContent = clock(inj.atMs);
    li.append(at, document.createTextNode(inj.text));
  });
  $('next-inject').textContent = v.next
    ? 'Next inject at ' + clock(v.next.atMs) + ' (' + v.injects.length + ' of ' + v.injectsPlanned + ' so far)'
    : v.injects.length + ' of ' + v.injectsPlanned + ' injects delivered';
  if (newest > state.lastInject && state.lastInject > 0) say('Inject ' + newest + ' at ' + clock(v.injects[v.injects.length - 1].atMs));
  state.lastInject = newest;
}

async function refresh() {
  try {
    const v = await api('GET', '/api/tabletop/sessions/' + encodeURIComponent(state.id));
    render(v);
    if (v.endedAt !== null) {
      clearInterval(state.poll);
      await showReport();
    }
  } catch (error) {
    say(error.message, true);
  }
}

async function showReport() {
  const html = await api('GET', '/api/tabletop/sessions/' + encodeURIComponent(state.id) + '/report?format=html');
  const report = new DOMParser().parseFromString(html, 'text/html').querySelector('main');
  const section = $('report');
  section.replaceChildren(...(report ? Array.from(report.childNodes) : []));
  section.hidden = false;
}

async function change(method, path, body) {
  try {
    render(await api(method, '/api/tabletop/sessions/' + encodeURIComponent(state.id) + path, body));
    say('');
    return true;
  } catch (error) {
    say(error.message, true);
    return false;
  }
}

function wireRoom() {
  $('pause').addEventListener('click', () => change('POST', '/clock', { action: state.view && state.view.clock.running ? 'pause' : 'resume' }));
  $('advance-1').addEventListener('click', () => change('POST', '/clock', { action: 'advance', by: '1m' }));
  $('advance-5').addEventListener('click', () => change('POST', '/clock', { action: 'advance', by: '5m' }));
  $('end').addEventListener('click', async () => {
    if (await change('POST', '/end')) await refresh();
  });
  for (const form of document.querySelectorAll('form[data-kind]')) {
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      const body = {};
      for (const [name, value] of new FormData(form)) if (String(value).trim() !== '') body[name] = String(value).trim();
      if (await change('POST', '/' + form.dataset.kind, body)) {
        form.reset();
        say('Recorded.');
      }
    });
  }
}

async function openRoom() {
  show('room');
  wireRoom();
  await refresh();
  state.poll = setInterval(refresh, 1000);
  setInterval(tick, 250);
}

async function openStart() {
  show('start');
  try {
    const { incidents } = await api('GET', '/api/incidents');
    const select = $('incident');
    select.replaceChildren(...incidents.map((inc) => {
      const option = document.createElement('option');
      option.value = inc.runbook + '\n' + inc.id;
      option.textContent = inc.runbook + ' · ' + inc.id + ' ' + inc.title;
      return option;
    }));
    const { sessions } = await api('GET', '/api/tabletop/sessions');
    fill('sessions', sessions, (li, s) => {
      const a = document.createElement('a');
      a.href = '?session=' + encodeURIComponent(s.id);
      a.textContent = s.incident + ' · ' + s.runbook + ' · ' + new Date(s.startedAt).toISOString().slice(0, 16).replace('T', ' ') + ' UTC' + (s.endedAt ? ' (ended)' : '');
      li.append(a, document.createTextNode(' by ' + s.facilitator));
    });
  } catch (error) {
    say(error.message, true);
  }
}

$('token-form').addEventListener('submit', (event) => {
  event.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  void begin();
});

$('start-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const [runbook, incident] = $('incident').value.split('\n');
  try {
    const v = await api('POST', '/api/tabletop/sessions', { runbook, incident });
    state.id = v.id;
    history.replaceState(null, '', '?session=' + encodeURIComponent(v.id));
    await openRoom();
  } catch (error) {
    say(error.message, true);
  }
});

async function begin() {
  if (!token()) {
    show('signin');
    $('token').focus();
    return;
  }
  say('');
  if (state.id) await openRoom();
  else await openStart();
}

void begin();
`;
