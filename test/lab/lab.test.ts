import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { ephemeralClash } from '../../src/lab/ephemeral-ports.js';
import { LAB_PORT_OFFSETS, labDir, labProcesses, listening } from '../helpers/lab.js';

const BASE = 22400;

describe('drillbook lab up | status | down', () => {
  it('builds the estate, is idempotent, reports health, and down leaves no process or port', () => {
    const { lab } = labDir();
    const args = ['--dir', lab, '--base-port', String(BASE)];
    try {
      const up = drillbook(['lab', 'up', ...args]);
      expect(up.stderr).toBe('');
      expect(up.status).toBe(0);
      // Every lab port is below the kernel's ephemeral range, so nothing warns about it.
      expect(up.stdout).not.toContain('ephemeral range');
      expect(up.stdout).toMatch(/postgres primary\s+127\.0\.0\.1:22432\s+\d+\s+up\s+primary \(read-write\)/);
      expect(up.stdout).toMatch(/postgres replica\s+127\.0\.0\.1:22433\s+\d+\s+up\s+replica \(in recovery\)/);
      expect(up.stdout).toMatch(/redis replica\s+127\.0\.0\.1:23380\s+\d+\s+up\s+role slave/);
      expect(up.stdout).toMatch(/backend\s+http:\/\/127\.0\.0\.1:22480\s+\d+\s+up\s+healthy/);
      const again = drillbook(['lab', 'up', ...args]);
      expect(again.status).toBe(0);
      const status = drillbook(['lab', 'status', '--json', ...args]);
      expect(status.status).toBe(0);
      const rows = JSON.parse(status.stdout) as { component: string; up: boolean }[];
      expect(rows.map((c) => c.component)).toEqual([
        'postgres primary',
        'postgres replica',
        'redis primary',
        'redis replica',
        's3 store',
        'backend',
      ]);
      expect(rows.every((c) => c.up)).toBe(true);
      const broken = drillbook(['lab', 'break', 'INC-004', ...args]);
      expect(broken.stdout).toContain('INC-004 injected at');
      const after = JSON.parse(drillbook(['lab', 'status', '--json', ...args]).stdout) as {
        component: string;
        up: boolean;
      }[];
      expect(after.find((c) => c.component === 'redis primary')?.up).toBe(false);
      expect(drillbook(['lab', 'up', ...args]).stderr).toMatch(
        /is half up \(.*redis primary.*\); run "drillbook lab down" first/,
      );
    } finally {
      const down = drillbook(['lab', 'down', ...args]);
      expect(down.status).toBe(0);
    }
  }, 120_000);

  it('after down nothing of the lab runs or listens', async () => {
    const { lab } = labDir();
    const args = ['--dir', lab, '--base-port', String(BASE + 1000)];
    expect(drillbook(['lab', 'up', ...args]).status).toBe(0);
    expect(drillbook(['lab', 'down', ...args]).stdout).toContain('stopped and removed');
    expect(await listening(LAB_PORT_OFFSETS.map((o) => BASE + 1000 + o))).toEqual([]);
    expect(labProcesses(lab, BASE + 1000)).toEqual([]);
  }, 120_000);

  it('refuses busy ports and an unknown incident with a clear message, starting nothing', async () => {
    const { lab } = labDir();
    const busy = createServer();
    await new Promise<void>((resolve) => busy.listen(BASE + 2000 + 90, '127.0.0.1', resolve));
    try {
      const r = drillbook(['lab', 'up', '--dir', lab, '--base-port', String(BASE + 2000)]);
      expect(r.status).toBe(2);
      expect(r.stderr).toContain(`ports already in use: ${BASE + 2000 + 90}`);
      expect(labProcesses(lab, BASE + 2000)).toEqual([]);
    } finally {
      busy.close();
    }
    const unknown = drillbook(['lab', 'break', 'INC-999', '--dir', lab]);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('no lab failure for INC-999');
  });
});

describe('lab ports and the ephemeral range', () => {
  it('warns about ports an outgoing connection could hold, and not about ports below the range', () => {
    const [low = 0] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    expect(ephemeralClash([low - 10, low + 5])).toContain(
      `ports ${String(low + 5)} are in this machine's ephemeral range`,
    );
    expect(ephemeralClash([BASE + 32, BASE + 980])).toBeUndefined();
  });
});
