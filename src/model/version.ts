import { readFileSync } from 'node:fs';

/** This drillbook's version, from its package.json (bundled code sits in dist/cli/, two folders below it). */
export const drillbookVersion: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

declare const __DRILLBOOK_BUILD_ID__: string | undefined;

/**
 * This build's identity: a hash of every source file, the schema and package.json, set by scripts/build.mjs. What
 * drillbook keeps of a judgement (a validation verdict, a run's history summary) is reused by the same build only.
 */
export const drillbookBuild: string =
  typeof __DRILLBOOK_BUILD_ID__ === 'string' ? __DRILLBOOK_BUILD_ID__ : `unbundled ${drillbookVersion}`;
