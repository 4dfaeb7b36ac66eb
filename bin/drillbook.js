#!/usr/bin/env node
// The CLI is compiled to dist/ by `npm install` (the prepare script) or `npm run build`.
import { existsSync } from 'node:fs';
import v8 from 'node:v8';
import { fileURLToPath } from 'node:url';

// The SDK's notice about future Node versions is not something a responder can act on.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// Two garbage-collector settings for a short-lived CLI whose live data is small (docs/performance.md,
// "Memory"); V8 reads both each time it sizes a heap space:
// - keep the young generation at its starting size instead of letting it double up to 32 MB: drillbook's
//   garbage is short-lived, so the larger nursery bought no speed and cost 20-30 MB of peak RSS;
// - let the old generation grow to 1.2 x what survived the last full collection, not up to 4 x: parsing
//   and rendering a large runbook promote much garbage, and this cuts their peaks by 25-35 MB for a few
//   per cent of time.
v8.setFlagsFromString('--semi-space-growth-factor=1');
v8.setFlagsFromString('--heap-growing-percent=20');
// `render` turns a runbook into pages once: code that runs once gains little from V8's optimizing compiler,
// whose compilations were the largest part of its peak memory (10,000-step HTML render: 112-117 -> 96-99 MB,
// the same time once the runbook's validation is cached). Set here, before any of drillbook is loaded, like the
// two settings above; every other command keeps the compiler (a cold parse is 25 % slower without it).
if (process.argv.slice(2).find((arg) => !arg.startsWith('-')) === 'render') v8.setFlagsFromString('--no-opt');

const entry = new URL('../dist/cli/main.js', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('drillbook: not built yet; run `npm install` or `npm run build` in the checkout\n');
  process.exit(2);
}
await import(entry.href);
