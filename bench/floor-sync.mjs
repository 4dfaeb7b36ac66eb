// The second floor for N run steps: spawnSync in a loop, output piped and read, exit status checked. It blocks the
// event loop while each child runs, which no interpreter with a live view can do, so it is a little lower than the
// async floor (floor.mjs): the lowest a Node program can spawn N commands one after the other.
import { spawnSync } from 'node:child_process';

const count = Number(process.argv[2] ?? '1');
const argv = process.argv.length > 3 ? process.argv.slice(3) : ['/bin/true'];
const [file, ...args] = argv;

for (let i = 0; i < count; i += 1) {
  const r = spawnSync(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  if (r.status !== 0) throw new Error(`${file} exited ${r.status}`);
}
