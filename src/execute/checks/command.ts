import type { CommandProbe } from '../../model/runbook.js';
import { runProcess } from '../process/run-process.js';
import { ProbeError, type CheckKind } from './check-kind.js';

export const commandCheck: CheckKind<CommandProbe> = {
  defaultExpect: { exit_code: 0 },
  describe: (o, w) => ({ what: `run ${w.command(o.run)}${o.shell ? ' in a shell' : ''}`, defaults: 'exit code 0' }),
  async probe(o, ctx) {
    const shell = o.shell === true && typeof o.run === 'string';
    const out = await runProcess({
      ...(shell ? { script: o.run as string } : { argv: (Array.isArray(o.run) ? o.run : [o.run]).map(String) }),
      env: Object.fromEntries(Object.entries(o.env ?? {}).map(([k, v]) => [k, String(v)])),
      timeoutMs: ctx.deadlineMs,
      signal: ctx.signal,
    });
    if (out.spawnError) throw new ProbeError(out.spawnError);
    if (out.timedOut) throw new ProbeError(`command did not finish within ${ctx.deadlineMs} ms`);
    if (out.interrupted) throw new ProbeError('command stopped: interrupted or out of time');
    return { exit_code: out.exitCode, stdout: out.stdout.trim(), stderr: out.stderr.trim() };
  },
};
