// The floor for N run steps: a plain Node script that spawns the command N times, one after the
// other, reading its stdout and stderr through pipes and waiting for its exit status, which is the
// least a runbook interpreter must do per `run` step. No YAML, no journal, no progress output.
import { spawn } from 'node:child_process';

const count = Number(process.argv[2] ?? '1');
const argv = process.argv.length > 3 ? process.argv.slice(3) : ['/bin/true'];
const [file, ...args] = argv;

function once() {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks = [];
    child.stdout.on('data', (c) => chunks.push(c));
    child.stderr.on('data', (c) => chunks.push(c));
    child.on('error', reject);
    child.on('close', (code) => {
      code === 0 ? resolve() : reject(new Error(`${file} exited ${code}`));
    });
  });
}

for (let i = 0; i < count; i += 1) await once();
