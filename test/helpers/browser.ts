import { accessSync, constants } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** The browser scripts/test-prerequisites.mjs (npm's pretest) installs when missing; DRILLBOOK_CHROMIUM moves it. */
export const CHROMIUM = process.env.DRILLBOOK_CHROMIUM ?? '/usr/bin/chromium';

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

/** Headless Chromium for the page tests; a missing browser is a loud failure, never a skip. */
export async function launchChromium(): Promise<Browser> {
  try {
    accessSync(CHROMIUM, constants.X_OK);
  } catch {
    throw new Error(
      `no Chromium at ${CHROMIUM}: the HTML tests need one; run them with npm test (its pretest installs the chromium package) or set DRILLBOOK_CHROMIUM`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ARGS });
}
