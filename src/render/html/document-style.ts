/** An incident met in a document: its pages carry its id and title in the running header. */
export interface PageHeader {
  id: string;
  title: string;
}

/** The continuation mark drawn in the hanging indent of a wrapped code line (an arrow, ↪). */
const CONTINUATION = `url("data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 12 12'%3E%3Cpath d='M3 2.5v4.5h6M6.5 4.5 9 7 6.5 9.5' fill='none' stroke='%238b949e' stroke-width='1.4'/%3E%3C/svg%3E")`;

/**
 * The rendered documents' own style, on top of the shared page style (src/render/html/style.ts, which the
 * run report uses too): phones, print handouts, destructive steps, and dark mode on screen.
 */
const DOCUMENT_CSS = `
:root { --pre-bg: var(--code-bg); --page-bg: #fff; }
/* Phones: a wide table or a long line scrolls inside its own box, never the page. */
.table-scroll { overflow-x: auto; max-width: 100%; margin: 0 0 0.9rem; }
.table-scroll > table { margin: 0; }
h1 + .table-scroll > table { width: auto; min-width: min(24rem, 100%); }
td:empty { height: 2.2em; }
main { overflow-wrap: break-word; }
h1, h2, h3, h4, a { overflow-wrap: anywhere; }
/* Code wraps at spaces (and after &&) only; a wrapped line goes on under a continuation mark. */
pre.code { background: var(--pre-bg); white-space: pre-wrap; overflow-wrap: normal; word-break: normal; overflow-x: auto; }
pre.code .code-line { display: block; padding-left: 2ch; text-indent: -2ch; overflow-wrap: anywhere;
  background: linear-gradient(var(--pre-bg), var(--pre-bg)) 0 0 / 2ch 1.45em no-repeat, ${CONTINUATION} 0 0 / 2ch 1.45em repeat-y;
  -webkit-print-color-adjust: exact; print-color-adjust: exact; }
pre.code .nb { white-space: nowrap; }
/* Steps: a destructive one has a badge and a border. */
.step.destructive { border-left: 4px solid var(--bad); padding: 0.1rem 0 0.1rem 0.8rem; margin-left: -0.8rem; }
.step.destructive > :last-child { margin-bottom: 0; }
.badge { display: inline-block; margin-left: 0.5em; padding: 0 0.4em; border: 1.5px solid currentColor; border-radius: 3px; font-size: 0.7em; font-weight: 700; letter-spacing: 0.05em; text-transform: uppercase; vertical-align: 0.15em; }
.badge.destructive { color: var(--bad); }
/* Tick boxes a pen can fill, with wrapped text hanging under the text, not under the box. */
ul:has(> li > input[type="checkbox"]) { padding-left: 0.2rem; }
li:has(> input[type="checkbox"]) { position: relative; padding-left: 1.8em; }
li > input[type="checkbox"] { appearance: none; -webkit-appearance: none; position: absolute; left: 0; top: 0.2em; width: 1.15em; height: 1.15em; margin: 0; transform: none; border: 2px solid var(--ink); border-radius: 2px; background: transparent; }
.notes > p { margin: 0; }
.notes .ruled { height: 2.1em; border-bottom: 1px solid var(--muted); }
.notes { margin: 0 0 1.2rem; }
@media print {
  :root { --pre-bg: #fff; }
  pre.code { border-color: #8c959f; }
  section.incident { break-before: page; page-break-before: always; }
  .step-head { break-inside: avoid; page-break-inside: avoid; }
  pre.code { break-inside: auto; page-break-inside: auto; }
  pre.code .code-line { break-inside: avoid; }
  li > input[type="checkbox"] { width: 4.5mm; height: 4.5mm; top: 0.05em; border: 1.6pt solid #000; }
  li:has(> input[type="checkbox"]) { padding-left: 7mm; margin-bottom: 1.2mm; }
  .notes .ruled { height: 9mm; border-bottom: 0.8pt solid #57606a; }
  .table-scroll { overflow: visible; }
  .step.destructive { border-left-width: 2.5pt; }
}
@media screen and (prefers-color-scheme: dark) {
  :root { color-scheme: dark; --ink: #e6edf3; --muted: #9da7b3; --rule: #3d444d; --code-bg: #161b22; --pre-bg: #161b22; --accent: #4493f8; --bad: #ff7b72; --good: #56d364; --page-bg: #0d1117; }
  body { background: var(--page-bg); }
}
`;

/**
 * The style of one document: the shared rules, then its running header (the document's title, or on an
 * incident's pages that incident's id and title) and page numbers, as CSS page margin boxes.
 */
export function documentCss(title: string, incidents: PageHeader[]): string {
  const margin = 'font: 8.5pt system-ui, sans-serif; color: #57606a;';
  const pages = [
    `@page { @top-left { content: ${cssString(title)}; ${margin} } @bottom-right { content: "Page " counter(page) " of " counter(pages); ${margin} } }`,
    ...incidents.flatMap(({ id, title: heading }) => [
      `@page ${pageName(id)} { @top-left { content: ${cssString(heading)}; ${margin} font-weight: 600; } }`,
      `section.incident[data-incident="${id}"] { page: ${pageName(id)}; }`,
    ]),
  ];
  return `${DOCUMENT_CSS}${pages.join('\n')}\n`;
}

function pageName(id: string): string {
  return `incident-${id.toLowerCase().replace(/[^a-z0-9-]/g, '-')}`;
}

/** A CSS string literal that no runbook text can end early or use to close the style element. */
function cssString(text: string): string {
  return `"${text.replace(/[\\"]/g, '\\$&').replace(/\s+/g, ' ').replace(/</g, '\\3c ')}"`;
}
