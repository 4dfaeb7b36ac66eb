import { REPORT_CSS } from '../../report/report-html.js';
import { PAGE_CSS } from '../../render/html/style.js';

/**
 * The console's own rules on top of the handouts' page style and the run report's badges and verdict banner,
 * so the console looks like the documents it links to. Colours are the handouts' variables (contrast ≥ 4.5:1
 * on white); phones (420 px) get one column and tables as cards.
 */
const CONSOLE_CSS = `
main { max-width: 72rem; padding: 1.2rem 1.2rem 3rem; }
.skip { position: absolute; left: -999px; } .skip:focus { left: 0.5rem; top: 0.5rem; background: #fff; padding: 0.3rem 0.6rem; z-index: 2; }
.bar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.4rem 1.2rem; padding: 0.55rem 1.2rem; border-bottom: 3px solid var(--accent); background: var(--code-bg); }
.brand { font-weight: 800; letter-spacing: 0.02em; margin-right: auto; }
.bar nav ul { display: flex; flex-wrap: wrap; gap: 0.2rem 0.9rem; list-style: none; margin: 0; padding: 0; }
.bar nav a { color: var(--ink); text-decoration: none; padding: 0.2rem 0; border-bottom: 2px solid transparent; }
.bar nav a[aria-current="page"] { border-bottom-color: var(--accent); font-weight: 700; }
.bar nav a:hover { color: var(--accent); }
.who { font-size: 0.9em; color: var(--muted); }
a:focus-visible, button:focus-visible, input:focus-visible, select:focus-visible, textarea:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
button { font: inherit; padding: 0.35rem 0.9rem; border-radius: 6px; border: 1px solid var(--accent); background: var(--accent); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--accent); }
button.danger { background: #fff; color: var(--bad); border-color: var(--bad); }
button:disabled { opacity: 0.6; cursor: default; }
label { font-weight: 600; font-size: 0.92em; display: block; margin-bottom: 0.2rem; }
input, select, textarea { font: inherit; padding: 0.3rem 0.45rem; border: 1px solid var(--muted); border-radius: 5px; max-width: 100%; background: #fff; color: var(--ink); }
.field { display: inline-block; margin: 0 0.8rem 0.7rem 0; vertical-align: bottom; }
.signin { max-width: 30rem; border: 1px solid var(--rule); border-radius: 8px; padding: 1rem 1.2rem; }
.signin input { width: 100%; }
.error { color: var(--bad); font-weight: 600; }
.status-line { color: var(--muted); font-size: 0.9em; margin: 0 0 0.8rem; }
.grid { display: grid; grid-template-columns: minmax(0, 3fr) minmax(0, 2fr); gap: 1.2rem; align-items: start; }
.card { border: 1px solid var(--rule); border-radius: 8px; padding: 0.8rem 1rem; margin: 0 0 1rem; }
.card h2 { margin: 0 0 0.6rem; font-size: 1.1rem; border: 0; padding: 0; }
.clocks { display: flex; flex-wrap: wrap; gap: 0.6rem 1.6rem; margin: 0 0 1rem; }
.clocks div b { display: block; font-size: 1.6rem; font-variant-numeric: tabular-nums; }
.phases { list-style: none; padding: 0; margin: 0; }
.phase { margin: 0 0 0.8rem; }
.phase-head { display: flex; justify-content: space-between; gap: 0.6rem; font-weight: 600; }
.phase-head .time { font-variant-numeric: tabular-nums; white-space: nowrap; }
.budget { height: 0.8rem; border: 1px solid var(--muted); border-radius: 4px; overflow: hidden; margin: 0.2rem 0 0.3rem; background: #fff; }
.budget .fill { height: 100%; width: 0; background: var(--accent); }
.phase.done .budget .fill { background: var(--good); }
.phase.over .budget { border-color: var(--bad); }
.phase.over .budget .fill { background: var(--bad); }
.phase.over .phase-head, .over-text { color: var(--bad); }
.steps { list-style: none; padding: 0 0 0 0.4rem; margin: 0; font-size: 0.93em; }
.steps li { display: flex; gap: 0.5rem; align-items: baseline; }
.steps .badge { font-size: 0.78em; min-width: 4.8rem; text-align: center; }
.badge.running { color: var(--accent); }
.current dl, .approval dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.25rem 0.8rem; margin: 0; }
.current dt, .approval dt { font-weight: 600; color: var(--muted); } .current dd, .approval dd { margin: 0; overflow-wrap: anywhere; }
.current pre, .approval pre { margin: 0; }
.log { list-style: none; margin: 0; padding: 0; max-height: 28rem; overflow-y: auto; font: 0.85em/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; }
.log li { border-bottom: 1px solid var(--rule); padding: 0.15rem 0; overflow-wrap: anywhere; }
.log li.bad { font-weight: 600; }
.log .seq { color: var(--muted); margin-right: 0.4rem; }
.rto-over { color: var(--bad); }
.verdict.ok { color: var(--good); } .verdict.bad { color: var(--bad); }
table.runs td, table.board td { vertical-align: middle; }
.trend svg { display: block; }
.approval { border-left: 4px solid var(--bad); }
.approval .actions { display: flex; flex-wrap: wrap; gap: 0.5rem; align-items: flex-end; margin-top: 0.6rem; }
.approval .actions .field { flex: 1 1 100%; margin: 0; }
.approval textarea { width: 100%; min-height: 2.4rem; }
.downloads { display: flex; flex-wrap: wrap; gap: 0.3rem; }
.downloads button { padding: 0.15rem 0.5rem; font-size: 0.85em; }
.empty { color: var(--muted); font-style: italic; }
.room-title { margin: 0 0 0.6rem; border: 0; padding: 0; }
.clock-bar { position: sticky; top: 0; z-index: 1; display: flex; flex-wrap: wrap; gap: 0.6rem 1.2rem; align-items: center; justify-content: space-between; padding: 0.6rem 1rem; margin: 0 0 1rem; background: #fff; border: 1px solid var(--rule); border-radius: 8px; }
.clock-label { display: block; color: var(--muted); font-size: 0.9em; }
.clock { font-size: 1.8rem; font-weight: 800; font-variant-numeric: tabular-nums; }
.clock-state { color: var(--muted); margin-left: 0.5rem; }
.controls { display: flex; flex-wrap: wrap; gap: 0.4rem; }
form.record { display: grid; gap: 0.3rem; margin: 0 0 1rem; }
form.record label { margin: 0; }
form.record textarea, form.record input, form.record select { width: 100%; }
form.record textarea { min-height: 3.2rem; resize: vertical; }
form.record button { justify-self: start; }
.pair { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 0.5rem; }
.inject { border-left: 4px solid var(--accent); padding: 0.2rem 0 0.2rem 0.7rem; margin: 0 0 0.7rem; }
.inject.newest { border-left-color: var(--bad); }
.inject .at { font-weight: 700; margin-right: 0.4rem; font-variant-numeric: tabular-nums; }
.card blockquote { margin: 0 0 0.8rem; }
.card h3 { font-size: 1rem; margin: 0.8rem 0 0.3rem; }
.card ol, .card ul { margin-top: 0; }
.report { border-top: 3px solid var(--rule); margin-top: 1rem; padding-top: 0.5rem; }
.report .table-scroll { overflow-x: auto; max-width: 100%; margin: 0 0 0.9rem; }
.report .table-scroll > table { margin: 0; }
@media (max-width: 760px) {
  .grid { grid-template-columns: minmax(0, 1fr); }
  main { padding: 0.8rem 0.7rem 2rem; }
  .bar { padding: 0.5rem 0.7rem; }
  h1 { font-size: 1.45rem; }
  .clock { font-size: 1.5rem; }
  .verdict .headline { font-size: 1.35rem; }
  table.cards, table.cards tbody, table.cards tr, table.cards td { display: block; width: 100%; }
  table.cards thead { position: absolute; left: -9999px; }
  table.cards tr { border: 1px solid var(--rule); border-radius: 8px; margin: 0 0 0.8rem; padding: 0.4rem 0.6rem; }
  table.cards td { border: 0; padding: 0.15rem 0; }
  .current dl, .approval dl { grid-template-columns: minmax(0, 1fr); gap: 0; }
  .current dd, .approval dd { margin-bottom: 0.45rem; }
  table.cards th[scope="row"] { display: block; border: 0; background: none; padding: 0 0 0.2rem; }
  table.cards td[data-label]::before { content: attr(data-label) ": "; font-weight: 600; color: var(--muted); }
}
`;

/** The console's stylesheet, served as a file (the page's CSP allows no inline style). */
export const consoleCss = `${PAGE_CSS}${REPORT_CSS}${CONSOLE_CSS}`;
