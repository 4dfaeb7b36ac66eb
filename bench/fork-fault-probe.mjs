// What the first write to a page costs after the process forked: fork marks every page of the parent
// copy-on-write, so each page the parent then writes takes a page fault. The auto-mode floor and
// drillbook both pay this after every spawn, per page they write; on some VMs it is most of a step's
// overhead (docs/performance.md). Prints microseconds per page: after a spawn, and with no spawn between.
import { spawn } from 'node:child_process';

const PAGE = 4096;
const PAGES = 200;
const ROUNDS = 100;
const buffer = new Uint8Array(PAGES * PAGE);
buffer.fill(1);

function spawnTrue() {
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/true', [], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('close', resolve);
  });
}

function touch(round) {
  const t0 = performance.now();
  for (let p = 0; p < PAGES; p += 1) buffer[p * PAGE + (round % PAGE)] = round & 0xff;
  return performance.now() - t0;
}

let afterSpawn = 0;
let plain = 0;
for (let round = 0; round < ROUNDS; round += 1) {
  await spawnTrue();
  afterSpawn += touch(round);
  plain += touch(round + 1);
}
const us = (ms) => Number(((ms / ROUNDS / PAGES) * 1000).toFixed(2));
process.stdout.write(`${JSON.stringify({ afterSpawnUs: us(afterSpawn), plainUs: us(plain) })}\n`);
