/**
 * One stylesheet for every HTML document: readable on screen, and on paper without wasted ink
 * (no backgrounds, headings kept with what follows, each incident on a new page, code wrapped).
 */
export const PAGE_CSS = `
:root { --ink: #1b1f24; --muted: #59636e; --rule: #d0d7de; --code-bg: #f6f8fa; --accent: #0b5cad; --bad: #c62828; --good: #2e7d32; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--ink); background: #fff; font: 15px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 2rem 1.5rem 4rem; }
h1 { font-size: 1.9rem; margin: 0 0 1rem; line-height: 1.25; }
h2 { font-size: 1.45rem; margin: 2.2rem 0 0.8rem; padding-bottom: 0.3rem; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1.15rem; margin: 1.8rem 0 0.6rem; }
h4 { font-size: 1rem; margin: 1.4rem 0 0.4rem; }
a { color: var(--accent); }
p, ul, ol, table, pre, blockquote { margin: 0 0 0.9rem; }
code { font: 0.88em/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace; background: var(--code-bg); padding: 0.1em 0.3em; border-radius: 4px; overflow-wrap: anywhere; }
pre { background: var(--code-bg); border: 1px solid var(--rule); border-radius: 6px; padding: 0.7rem 0.9rem; overflow-x: auto; white-space: pre-wrap; overflow-wrap: anywhere; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.93em; }
h1 + table { width: auto; min-width: 24rem; }
th, td { border: 1px solid var(--rule); padding: 0.35rem 0.55rem; text-align: left; vertical-align: top; }
th { background: var(--code-bg); }
td[align="right"], th[align="right"] { text-align: right; }
blockquote { border-left: 4px solid var(--rule); margin-left: 0; padding: 0.2rem 0.9rem; color: var(--muted); }
li > input[type="checkbox"] { margin: 0 0.45rem 0 0; transform: scale(1.15); }
ul:has(> li > input[type="checkbox"]) { list-style: none; padding-left: 0.6rem; }
.bad { color: var(--bad); font-weight: 600; }
.good { color: var(--good); font-weight: 600; }
@media print {
  body { font-size: 10.5pt; }
  main { max-width: none; padding: 0; }
  a { color: inherit; text-decoration: none; }
  h1, h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  .new-page { break-before: page; page-break-before: always; }
  pre, blockquote, tr, li, figure { break-inside: avoid; page-break-inside: avoid; }
  th { background: none; }
  pre, code { background: none; }
}
@page { margin: 16mm 14mm; }
`;
