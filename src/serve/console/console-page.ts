import { escapeHtml } from '../../render/html/page.js';

/** The console's views, in the navigation's order. */
export const VIEWS = [
  { id: 'live', path: '/console/live', title: 'Live runs' },
  { id: 'approvals', path: '/console/approvals', title: 'Approvals' },
  { id: 'board', path: '/console/board', title: 'Drill board' },
  { id: 'history', path: '/console/history', title: 'History' },
  { id: 'tabletop', path: '/console/tabletop', title: 'Tabletop' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];

/**
 * No inline script or style, nothing from another origin: the page loads its module and stylesheet from this
 * service and talks only to its API.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/**
 * One view's page, rendered on the server: the header and navigation, the sign-in form (shown by the module
 * when there is no token) and the view's empty container that the module fills from the API.
 */
export function consolePage(view: ViewId): string {
  const current = VIEWS.find((v) => v.id === view) ?? VIEWS[0];
  const nav = VIEWS.map(
    (v) => `<li><a href="${v.path}"${v.id === view ? ' aria-current="page"' : ''}>${escapeHtml(v.title)}</a></li>`,
  ).join('');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(current.title)} · drillbook</title>
<link rel="icon" href="/console/assets/icon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/console/assets/console.css">
<script type="module" src="/console/assets/console.js"></script>
</head>
<body data-view="${view}">
<a class="skip" href="#main">Skip to content</a>
<header class="bar">
<span class="brand">drillbook</span>
<nav aria-label="Console"><ul>${nav}</ul></nav>
<span class="who" id="who"></span>
</header>
<main id="main" tabindex="-1">
<h1>${escapeHtml(current.title)}</h1>
<form class="signin" id="signin" hidden>
<p>Sign in with an API token (<code>drillbook token create</code>). It stays in this browser tab only.</p>
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" spellcheck="false" required>
<p class="error" id="signin-error" role="alert"></p>
<button type="submit">Sign in</button>
</form>
<div id="view" aria-busy="true"></div>
</main>
</body>
</html>
`;
}

/** The tab's icon (a browser asks for one; without it every page load logs a 404). */
export const CONSOLE_ICON =
  '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#0b5cad"/><path d="M4 8.5 7 11l5-6" fill="none" stroke="#fff" stroke-width="2"/></svg>';
