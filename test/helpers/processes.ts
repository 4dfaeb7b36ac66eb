import { readdirSync, readFileSync } from 'node:fs';

/** Live processes whose command line contains marker (read from /proc, no tools needed). */
export function processesMatching(marker: string): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((n) => /^\d+$/.test(n))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(marker)) out.push(`${pid} ${cmd}`);
    } catch {
      // gone
    }
  }
  return out;
}
