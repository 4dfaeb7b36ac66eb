import type { Browser } from 'playwright-core';
import { chromiumPath, launchChromium as launch } from '../../src/render/html/chromium.js';

/** The browser scripts/test-prerequisites.mjs (npm's pretest) installs when missing; DRILLBOOK_CHROMIUM moves it. */
export const CHROMIUM = chromiumPath();

/** Headless Chromium for the page tests, launched as drillbook launches it; a missing browser fails loudly, never skips. */
export async function launchChromium(): Promise<Browser> {
  return launch('the HTML tests (run them with npm test, whose pretest installs the chromium package)');
}
