import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Socket } from 'node:net';
import { processesMatching } from './processes.js';

/** A lab directory the postgres user can reach (the lab runs PostgreSQL as postgres). */
export function labDir(): { root: string; lab: string; home: string } {
  const root = mkdtempSync(join(tmpdir(), 'drillbook-lab-'));
  chmodSync(root, 0o755);
  return { root, lab: join(root, 'lab'), home: join(root, 'home') };
}

/** Offsets the lab uses from its base port (see src/lab/layout.ts). */
export const LAB_PORT_OFFSETS = [32, 33, 34, 80, 90, 979, 980];

export async function listening(ports: number[]): Promise<number[]> {
  const open: number[] = [];
  for (const port of ports) {
    const up = await new Promise<boolean>((resolve) => {
      const s = new Socket();
      s.setTimeout(500, () => {
        s.destroy();
        resolve(false);
      });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        resolve(false);
      });
      s.connect(port, '127.0.0.1');
    });
    if (up) open.push(port);
  }
  return open;
}

/** Processes that belong to a lab: their command lines name its directory or its ports. */
export function labProcesses(dir: string, basePort: number): string[] {
  return [
    ...processesMatching(dir),
    ...LAB_PORT_OFFSETS.flatMap((o) => processesMatching(`127.0.0.1:${basePort + o}`)),
  ];
}
