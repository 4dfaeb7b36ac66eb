import { readFileSync } from 'node:fs';

/** This drillbook's version, from its package.json (bundled code sits in dist/cli/, two folders below it). */
export const drillbookVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;
