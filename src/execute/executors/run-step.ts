import type { PlanStep } from '../../plan/plan-types.js';
import { runProcess } from '../process/run-process.js';
import { runCheck } from '../checks/registry.js';
import { stepDeadline } from '../step-deadline.js';
import type { Attempt, ExecutorContext } from './executor.js';

/** `run`: the command (argument list, or shell script with shell: true), then its verify checks. */
export async function executeRun(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const command = step.command;
  if (!command) return { status: 'failed', error: 'no command' };
  // The step's timeout bounds the command and its verify checks together.
  const deadline = stepDeadline(step.timeoutMs, ctx.signal);
  const stepEnv = ctx.vars.renderDeep(command.env);
  const env = command.script !== undefined ? { ...ctx.vars.exported(), ...stepEnv } : stepEnv;
  const argv = command.script !== undefined ? undefined : ctx.vars.renderDeep(command.argv ?? []);
  const cwd = command.cwd ? ctx.vars.render(command.cwd) : undefined;
  const nul = nulByteIn({ argv: argv ?? [command.script ?? ''], env, cwd: cwd ?? '' });
  if (nul)
    return { status: 'failed', error: `${nul} contains a NUL byte, which no command can receive (a captured value?)` };
  const out = await runProcess({
    ...(argv ? { argv } : { script: command.script ?? '' }),
    ...(cwd ? { cwd } : {}),
    env,
    timeoutMs: step.timeoutMs,
    signal: ctx.signal,
  });
  const output = [out.stdout, out.stderr]
    .filter((s) => s.length > 0)
    .join('\n')
    .trimEnd();
  const noted = out.truncatedBytes > 0 ? `[${out.truncatedBytes} earlier bytes of output dropped]\n${output}` : output;
  const base = { ...(out.exitCode !== null ? { exitCode: out.exitCode } : {}), output: noted, stdout: out.stdout };
  if (out.spawnError) return { ...base, status: 'failed', error: out.spawnError };
  if (out.interrupted) return { ...base, status: 'unknown', error: 'interrupted' };
  if (out.timedOut)
    return { ...base, status: 'timed-out', error: `timed out after ${step.timeoutMs ?? 0} ms; process group killed` };
  if (out.exitCode !== 0) return { ...base, status: 'failed', error: `exit code ${out.exitCode ?? 'none'}` };
  for (const spec of step.verify) {
    const check = await runCheck(ctx.vars.prepareCheck(spec), deadline.signal, deadline.remainingMs());
    if (deadline.expired())
      return {
        ...base,
        status: 'timed-out',
        error: `timed out after ${step.timeoutMs ?? 0} ms while verifying: ${check.error ?? check.description}`,
      };
    if (ctx.signal.aborted) return { ...base, status: 'unknown', error: 'interrupted' };
    if (!check.ok) return { ...base, status: 'failed', error: `verify failed: ${check.error ?? check.description}` };
  }
  return { ...base, status: 'passed' };
}

/** Which part of a command holds a NUL byte: the kernel takes C strings, so it could never be passed. */
function nulByteIn(parts: { argv: string[]; env: Record<string, string>; cwd: string }): string | undefined {
  const arg = parts.argv.findIndex((a) => a.includes('\0'));
  if (arg >= 0) return arg === 0 ? 'the command' : `argument ${arg}`;
  const name = Object.entries(parts.env).find(([k, v]) => k.includes('\0') || v.includes('\0'))?.[0];
  if (name !== undefined) return `environment variable ${name.replaceAll('\0', '\\0')}`;
  return parts.cwd.includes('\0') ? 'the working directory' : undefined;
}
