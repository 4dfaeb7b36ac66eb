import { PAGE_CSS } from './style.js';

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

/**
 * A self-contained page: inline CSS, no scripts, and a Content-Security-Policy that forbids every
 * network fetch, so a handout opened from a USB stick or an e-mail never calls home.
 */
export function htmlPage(options: { title: string; body: string; generator: string; extraCss?: string }): string {
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta name="generator" content="${escapeHtml(options.generator)}">`,
    `<title>${escapeHtml(options.title)}</title>`,
    `<style>\n${PAGE_CSS}${options.extraCss ?? ''}</style>`,
    '</head>',
    '<body>',
    '<main>',
    options.body.trimEnd(),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
