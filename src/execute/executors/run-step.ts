import type { PlanStep } from '../../plan/plan-types.js';
import { runProcess } from '../process/run-process.js';
import { runCheck } from '../checks/registry.js';
import type { Attempt, ExecutorContext } from './executor.js';

/** `run`: the command (argument list, or shell script with shell: true), then its verify checks. */
export async function executeRun(step: PlanStep, ctx: ExecutorContext): Promise<Attempt> {
  const command = step.command;
  if (!command) return { status: 'failed', error: 'no command' };
  const stepEnv = ctx.vars.renderDeep(command.env);
  const env = command.script !== undefined ? { ...ctx.vars.exported(), ...stepEnv } : stepEnv;
  const out = await runProcess({
    ...(command.script !== undefined ? { script: command.script } : { argv: ctx.vars.renderDeep(command.argv ?? []) }),
    ...(command.cwd ? { cwd: ctx.vars.render(command.cwd) } : {}),
    env,
    timeoutMs: step.timeoutMs,
    signal: ctx.signal,
  });
  const output = [out.stdout, out.stderr].filter((s) => s.length > 0).join('\n').trimEnd();
  const noted = out.truncatedBytes > 0 ? `[${out.truncatedBytes} earlier bytes of output dropped]\n${output}` : output;
  const base = { ...(out.exitCode !== null ? { exitCode: out.exitCode } : {}), output: noted, stdout: out.stdout };
  if (out.spawnError) return { ...base, status: 'failed', error: out.spawnError };
  if (out.interrupted) return { ...base, status: 'unknown', error: 'interrupted' };
  if (out.timedOut) return { ...base, status: 'timed-out', error: `timed out after ${step.timeoutMs ?? 0} ms; process group killed` };
  if (out.exitCode !== 0) return { ...base, status: 'failed', error: `exit code ${out.exitCode ?? 'none'}` };
  for (const spec of step.verify) {
    const check = await runCheck(ctx.vars.prepareCheck(spec), ctx.signal);
    if (!check.ok) return { ...base, status: 'failed', error: `verify failed: ${check.error ?? check.description}` };
  }
  return { ...base, status: 'passed' };
}
