import { accessSync, constants } from 'node:fs';
import type { Browser } from 'playwright-core';
import { EnvironmentError } from '../../model/errors.js';
import { messageOf } from '../../model/error-message.js';

/** Debian's chromium package (what `npm test`'s pretest installs); DRILLBOOK_CHROMIUM names another. */
export function chromiumPath(): string {
  return process.env.DRILLBOOK_CHROMIUM ?? '/usr/bin/chromium';
}

/** Headless, offline and quiet: no sandbox (root in CI), no GPU, none of Chromium's own network traffic. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Headless Chromium through playwright-core (loaded only here). A missing browser is an EnvironmentError
 * that says what to install, for the PDF report and for the page tests alike.
 */
export async function launchChromium(purpose: string): Promise<Browser> {
  const executablePath = chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw new EnvironmentError(
      `${purpose} needs a headless Chromium, and there is none at ${executablePath}: install Debian's chromium package (apt-get install chromium) or set DRILLBOOK_CHROMIUM to a Chromium binary`,
    );
  }
  const { chromium } = await import('playwright-core');
  try {
    return await chromium.launch({ executablePath, args: ARGS, timeout: 30_000 });
  } catch (error) {
    const first = messageOf(error).split('\n')[0] ?? '';
    throw new EnvironmentError(`Chromium at ${executablePath} did not start: ${first}`, executablePath, {
      cause: error,
    });
  }
}
