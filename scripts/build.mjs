// `npm run build` (and `npm install`, through prepare):
//   1. the standalone schema validator, generated from schemas/runbook.schema.json;
//   2. TypeScript compiled to dist/ by tsc (type-checked; every module, the lab's scripts included);
//   3. the CLI bundled by esbuild into dist/cli/main.js, the module bin/drillbook.js imports, with one
//      chunk per command so each run loads only what it uses (start-up: docs/performance.md).
//   4. the web console's browser module bundled by esbuild into dist/console/console.js.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { buildValidator, VALIDATOR_FILE } from './build-validator.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SRC = join(ROOT, 'src');
const DIST = join(ROOT, 'dist');
const CLI_OUT = join(DIST, 'cli');
const say = (line) => {
  process.stdout.write(`${line}\n`);
};

say(buildValidator());

const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', join(ROOT, 'tsconfig.build.json')], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(compiled.status ?? 1);
// tsc does not copy .js sources: the generated validator goes next to dist/validate/schema.js.
const validatorOut = join(DIST, relative(SRC, VALIDATOR_FILE));
mkdirSync(dirname(validatorOut), { recursive: true });
copyFileSync(VALIDATOR_FILE, validatorOut);

/**
 * Left out of the bundle and loaded from tsc's output instead:
 * - src/lab/**: the lab starts its own scripts by path (new URL('./supervisor.js', import.meta.url)),
 *   which only holds where tsc put them;
 * - src/store/shipping-process.ts: it starts the store's shipper (ship-child.js) by path, the same way;
 * - src/model/errors.ts: its classes cross that boundary (lab code throws UsageError, main.ts tests
 *   instanceof), so both sides must load the one module instance.
 */
const FROM_TSC = [`${sep}lab${sep}`, `${sep}model${sep}errors.ts`, `${sep}store${sep}shipping-process.ts`];
const fromTsc = {
  name: 'from-tsc',
  setup(b) {
    b.onResolve({ filter: /^\.\.?\// }, (args) => {
      const file = join(args.resolveDir, args.path).replace(/\.js$/, '.ts');
      if (!file.startsWith(SRC + sep) || !FROM_TSC.some((part) => file.slice(SRC.length).includes(part)))
        return undefined;
      const target = join(DIST, relative(SRC, file)).replace(/\.ts$/, '.js');
      return { path: `./${relative(CLI_OUT, target).split(sep).join('/')}`, external: true };
    });
  },
};

/**
 * This build's identity: a hash of every source file, the schema and package.json. Cached
 * validation verdicts (src/validate/validation-cache.ts) are keyed by it, so a changed rule,
 * schema or version never reuses a verdict of another build.
 */
function buildId() {
  const hash = createHash('sha256');
  const files = [
    ...readdirSync(SRC, { recursive: true }).map((f) => join(SRC, f)),
    join(ROOT, 'schemas', 'runbook.schema.json'),
    join(ROOT, 'package.json'),
  ];
  for (const file of files.filter((f) => /\.(ts|js|json)$/.test(f)).sort())
    hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 32);
}

// Bundled beside dist/cli, then swapped in: a CLI started meanwhile (tests running in parallel)
// finds either the old build or the new one, never a half-written one.
const NEXT = join(DIST, '.cli-next');
const OLD = join(DIST, '.cli-old');
rmSync(NEXT, { recursive: true, force: true });
const result = await build({
  entryPoints: { main: join(SRC, 'cli', 'main.ts') },
  outdir: NEXT,
  // Chunks stay beside main.js: modules locate package files by import.meta.url (../../schemas/...).
  chunkNames: '[name]-[hash]',
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  // Heavy clients stay in node_modules and load on first use (checks import them dynamically);
  // tests also trap their import by name to prove that simulate mode never loads them.
  external: [
    'pg',
    'pg-boss',
    'fastify',
    'postgrator',
    'ioredis',
    '@aws-sdk/*',
    's3rver',
    'playwright-core',
    'nodemailer',
  ],
  plugins: [fromTsc],
  define: { __DRILLBOOK_BUILD_ID__: JSON.stringify(buildId()) },
  // Bundled CommonJS packages (commander, yaml) call require() for Node's built-ins.
  banner: {
    js: "import { createRequire as __drillbookRequire } from 'node:module'; const require = __drillbookRequire(import.meta.url);",
  },
  minifySyntax: true,
  minifyWhitespace: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
rmSync(OLD, { recursive: true, force: true });
renameSync(CLI_OUT, OLD);
renameSync(NEXT, CLI_OUT);
rmSync(OLD, { recursive: true, force: true });
const outputs = Object.entries(result.metafile.outputs);
const bytes = outputs.reduce((n, [, o]) => n + o.bytes, 0);
say(
  `cli bundle: ${relative(ROOT, join(CLI_OUT, 'main.js'))} + ${outputs.length - 1} chunks, ${Math.round(bytes / 1024)} KiB`,
);

// 4. The web console's module (src/serve/console/client, DOM code type-checked by its own tsconfig) bundled
//    for the browser into dist/console/console.js, which `drillbook serve` serves at /console/assets.
const CONSOLE_OUT = join(DIST, 'console');
const consoleBuild = await build({
  entryPoints: { console: join(SRC, 'serve', 'console', 'client', 'main.ts') },
  outdir: CONSOLE_OUT,
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  minify: true,
  legalComments: 'none',
  logLevel: 'warning',
  metafile: true,
});
const consoleBytes = Object.values(consoleBuild.metafile.outputs).reduce((n, o) => n + o.bytes, 0);
say(`console bundle: ${relative(ROOT, join(CONSOLE_OUT, 'console.js'))}, ${Math.round(consoleBytes / 1024)} KiB`);
