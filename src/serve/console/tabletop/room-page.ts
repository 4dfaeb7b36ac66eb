import { documentCss } from '../../../render/html/document-style.js';
import { PAGE_CSS } from '../../../render/html/style.js';

/** The room's own additions to the handouts' look: the clock bar, inject cards, forms that fit a 420 px phone. */
const ROOM_CSS = `
main { max-width: 72rem; }
nav.crumbs { font-size: 0.9rem; margin-bottom: 0.6rem; }
.clock-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: center; justify-content: space-between; padding: 0.6rem 0.8rem; margin: 0 0 1rem; background: var(--page-bg); border: 1px solid var(--rule); border-radius: 6px; }
.clock { font: 700 2rem/1.1 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-variant-numeric: tabular-nums; }
.clock-label, .muted { color: var(--muted); font-size: 0.9rem; }
.controls { display: flex; flex-wrap: wrap; gap: 0.4rem; }
button, select, input, textarea { font: inherit; color: inherit; }
button { padding: 0.35rem 0.8rem; border: 1.5px solid var(--accent); border-radius: 5px; background: transparent; color: var(--accent); cursor: pointer; min-height: 2.4rem; }
button.primary { background: var(--accent); color: #fff; }
button.danger { border-color: var(--bad); color: var(--bad); }
button:focus-visible, a:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible, summary:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button:disabled { opacity: 0.5; cursor: default; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 0 2rem; }
@media (max-width: 52rem) { .grid { grid-template-columns: minmax(0, 1fr); } .clock { font-size: 1.6rem; } h1 { font-size: 1.5rem; } }
.inject { border-left: 4px solid var(--accent); padding: 0.3rem 0 0.3rem 0.7rem; margin: 0 0 0.7rem; }
.inject.newest { border-left-color: var(--bad); }
.inject .at { font-weight: 700; margin-right: 0.4rem; }
form.record { display: grid; gap: 0.3rem; margin: 0 0 1rem; }
form.record label { font-weight: 600; }
input, select, textarea { width: 100%; padding: 0.4rem 0.5rem; border: 1px solid var(--muted); border-radius: 4px; background: var(--page-bg); }
textarea { min-height: 3.2rem; resize: vertical; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 0.5rem; }
.pair > div { display: grid; gap: 0.3rem; }
#status:empty { display: none; }
#status { padding: 0.4rem 0.7rem; border: 1px solid var(--rule); border-radius: 5px; }
#status.bad { border-color: var(--bad); }
.recorded li { margin-bottom: 0.3rem; }
.report { border-top: 3px solid var(--rule); margin-top: 2rem; }
`;

/** The room's page: the handouts' stylesheet and its own, an empty frame the script fills in. */
export function roomPage(): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Tabletop session · drillbook</title>
<link rel="icon" href="data:,">
<style>${PAGE_CSS}${documentCss('Tabletop session', [])}${ROOM_CSS}</style>
<script type="module" src="/console/tabletop/room.js"></script>
</head>
<body>
<main>
<nav class="crumbs" aria-label="Console"><a href="/console">Console</a> › Tabletop sessions</nav>
<h1 id="title">Tabletop session</h1>
<p id="status" role="status" aria-live="polite"></p>
<section id="signin" hidden>
<form id="token-form" class="record">
<label for="token">API token (viewer to watch, runner to facilitate)</label>
<input id="token" type="password" autocomplete="off" required>
<button class="primary" type="submit">Sign in</button>
</form>
</section>
<section id="start" hidden aria-labelledby="h-start">
<h2 id="h-start">Start a session</h2>
<form id="start-form" class="record">
<label for="incident">Incident</label>
<select id="incident" required></select>
<button class="primary" type="submit">Start session</button>
</form>
<h2>Sessions</h2>
<ul id="sessions"></ul>
</section>
<section id="room" hidden>
<div class="clock-bar">
<div><span class="clock-label" id="clock-label">Exercise clock</span><br><span class="clock" id="clock" role="timer" aria-labelledby="clock-label">T+0:00:00</span> <span class="muted" id="clock-state"></span></div>
<div class="controls" role="group" aria-label="Clock (facilitator)">
<button type="button" id="pause">Pause</button>
<button type="button" id="advance-1">+1 min</button>
<button type="button" id="advance-5">+5 min</button>
<button type="button" id="end" class="danger">End session</button>
</div>
</div>
<div class="grid">
<div>
<section aria-labelledby="h-scenario">
<h2 id="h-scenario">Scenario</h2>
<blockquote id="scenario"></blockquote>
<p><strong>What the team sees:</strong></p>
<ul id="triggers"></ul>
</section>
<section aria-labelledby="h-phase">
<h2 id="h-phase">Now: <span id="phase-title"></span></h2>
<p class="muted" id="phase-time"></p>
<p><strong>Discussion questions</strong></p>
<ol id="questions"></ol>
<details><summary>Keep asking, in every phase</summary><ol id="standing"></ol></details>
</section>
<section aria-labelledby="h-injects">
<h2 id="h-injects">Injects</h2>
<p class="muted" id="next-inject"></p>
<ol id="injects" aria-live="polite" aria-relevant="additions"></ol>
</section>
</div>
<div>
<section id="record" aria-labelledby="h-record">
<h2 id="h-record">Record</h2>
<form class="record" data-kind="decisions">
<label for="decision-text">Decision</label>
<textarea id="decision-text" name="text" required></textarea>
<button type="submit">Record decision</button>
</form>
<form class="record" data-kind="gaps">
<label for="gap-text">Gap found</label>
<textarea id="gap-text" name="text" required></textarea>
<button type="submit">Record gap</button>
</form>
<form class="record" data-kind="actions">
<label for="action-text">Action item</label>
<textarea id="action-text" name="text" required></textarea>
<div class="pair"><div><label for="action-owner">Owner</label><input id="action-owner" name="owner" required></div>
<div><label for="action-due">Due (optional)</label><input id="action-due" name="due" placeholder="2026-01-31"></div></div>
<button type="submit">Record action item</button>
</form>
</section>
<section aria-labelledby="h-recorded" class="recorded">
<h2 id="h-recorded">Recorded</h2>
<h3>Decisions</h3><ol id="decisions"></ol>
<h3>Gaps</h3><ol id="gaps"></ol>
<h3>Action items</h3><ol id="actions"></ol>
</section>
</div>
</div>
<section id="report" class="report" hidden aria-label="Post-drill report"></section>
</section>
</main>
</body>
</html>
`;
}
