import { createServer, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { processesMatching } from '../helpers/processes.js';
import { onlyRunDir, reportOf, runFile, workspace } from '../helpers/runs.js';

// Accepts connections on loopback and never answers: PostgreSQL, Redis and HTTP clients wait for a reply forever.
const held: Socket[] = [];
const silent = createServer((socket) => {
  held.push(socket);
}).listen(0, '127.0.0.1');
const port = await new Promise<number>((resolve) => {
  silent.once('listening', () => {
    resolve((silent.address() as { port: number }).port);
  });
});
afterAll(() => {
  for (const socket of held) socket.destroy();
  silent.close();
});

describe("a step's timeout holds for checks and waits (drillbook run)", () => {
  const ws = workspace();
  const r = runFile(ws, 'test/fixtures/run/secrets.yaml', 'INC-303', ['--mode', 'auto', '--var', `port=${port}`]);
  const report = reportOf(onlyRunDir(ws));
  const step = (id: string) => report.steps.find((s) => s.id === id);

  it.each([
    'command-check',
    'shell-command-check',
    'postgres-check',
    'http-check',
    'redis-check',
    'wait-step-timeout',
    'wait-hanging-poll',
  ])('%s ends timed-out at its deadline, not at the 10 s probe default', (id) => {
    expect(r.stderr).toBe('');
    expect(step(id)?.status).toBe('timed-out');
    // 1 or 2 s of timeout; the rest is slack for a loaded machine, well under the 10 s a probe would take.
    expect(step(id)?.durationMs).toBeLessThan(5000);
  });

  it('says which deadline passed', () => {
    expect(step('command-check')?.error).toMatch(/^timed out after 1000 ms: /);
    expect(step('wait-step-timeout')?.error).toMatch(/^still not holding after \d+ poll\(s\) in 2000 ms: /);
  });

  it('leaves a check that answers in time passed, and no process of a timed-out check behind', () => {
    expect(step('in-time')?.status).toBe('passed');
    expect(r.status).toBe(0);
    expect(processesMatching('9.8765')).toEqual([]);
    expect(processesMatching('9.8764')).toEqual([]);
  });
});
