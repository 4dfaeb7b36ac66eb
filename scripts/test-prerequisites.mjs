#!/usr/bin/env node
// npm's `pretest`: what the test suite needs that `npm install` cannot bring, installed when missing.
// - Chromium at /usr/bin/chromium: the HTML documents are checked in a real headless browser (playwright-core
//   drives it; it ships no browser, and the playwright browser download is not reachable from CI).
// - tmux: the interactive tests drive the real prompts through a pseudo-terminal.
// - pdftotext (poppler-utils): the printed handouts are read back from Chromium's PDFs page by page.
// As root with apt-get (this project's machines and CI), the Debian packages `chromium`, `tmux` and `poppler-utils` are installed
// without questions (no standard input, DEBIAN_FRONTEND=noninteractive). Anywhere else a missing tool stops
// `npm test` here with the command to run: the tests never skip what they cannot run.
import { spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

/** Each tool the tests run, where they look for it, and the Debian package that provides it. */
export const TEST_TOOLS = [
  { tool: 'chromium', path: process.env.DRILLBOOK_CHROMIUM ?? '/usr/bin/chromium', pkg: 'chromium' },
  { tool: 'tmux', path: undefined, pkg: 'tmux' },
  { tool: 'pdftotext', path: undefined, pkg: 'poppler-utils' },
];

function executable(file) {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function found({ tool, path }) {
  if (path !== undefined) return executable(path);
  return (process.env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && executable(join(dir, tool)));
}

function apt(args) {
  const r = spawnSync('apt-get', args, {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

const missing = TEST_TOOLS.filter((t) => !found(t));
if (missing.length > 0) {
  const packages = missing.map((t) => t.pkg);
  const canInstall = process.getuid?.() === 0 && found({ tool: 'apt-get', path: undefined });
  if (!canInstall) {
    process.stderr.write(
      `npm test needs ${missing.map((t) => t.path ?? t.tool).join(' and ')}; install ${packages.join(' ')} (e.g. sudo apt-get install -y ${packages.join(' ')}) and run npm test again\n`,
    );
    process.exit(1);
  }
  process.stdout.write(`installing what the tests need: ${packages.join(' ')}\n`);
  const installed = apt(['update', '-qq']) && apt(['install', '-y', '-qq', ...packages]);
  const still = missing.filter((t) => !found(t));
  if (!installed || still.length > 0) {
    process.stderr.write(
      `could not install ${still.map((t) => t.pkg).join(' ') || packages.join(' ')} with apt-get (see its output above); npm test needs them\n`,
    );
    process.exit(1);
  }
}
