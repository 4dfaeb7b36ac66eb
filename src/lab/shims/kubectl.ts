/**
 * The lab's kubectl: the few verbs THE_BOT runbook uses, applied to the backend stand-in.
 * get pods | logs [--previous] [--tail=N] | rollout restart | rollout status [--timeout=90s] | set env K=V...
 * Namespace, context and output flags are accepted and ignored: there is one deployment.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readBackendConfig, writeBackendConfig, type BackendConfig } from '../backend-config.js';

const dir = process.env.DRILLBOOK_LAB_BACKEND ?? '.drillbook/lab/backend';
const port = process.env.DRILLBOOK_LAB_BACKEND_PORT ?? '25480';
const WITH_VALUE = new Set(['-n', '--namespace', '--context', '-o', '--output']);
const args = positional(process.argv.slice(2));

/** The verb and its operands: flags (and the values of flags that take one) removed. */
function positional(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (WITH_VALUE.has(a)) i += 1;
    else if (!a.startsWith('-')) out.push(a);
  }
  return out;
}
const flag = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const pid = (file: string) => {
  try {
    return Number(readFileSync(join(dir, file), 'utf8'));
  } catch {
    return undefined;
  }
};
const alive = (p: number | undefined) => {
  try {
    return p !== undefined && process.kill(p, 0);
  } catch {
    return false;
  }
};

async function healthy(): Promise<boolean> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/system/health/`, { signal: AbortSignal.timeout(2000) });
    return r.status === 200;
  } catch {
    return false;
  }
}

/** The kubectl verbs the runbook uses, each against the lab's supervised backend. */
const VERBS: Record<string, () => number | Promise<number>> = {
  'get pods': getPods,
  logs: logs,
  'rollout restart': rolloutRestart,
  'rollout status': rolloutStatus,
  'set env': setEnv,
};

async function main(): Promise<number> {
  const [verb, sub] = args;
  const run = VERBS[`${verb ?? ''} ${sub ?? ''}`] ?? VERBS[verb ?? ''];
  if (run) return run();
  process.stderr.write(`lab kubectl: unsupported command: ${process.argv.slice(2).join(' ')}\n`);
  return 2;
}

function getPods(): number {
  const running = alive(pid('backend.pid'));
  const restarts = existsSync(join(dir, 'restarts')) ? readFileSync(join(dir, 'restarts'), 'utf8') : '0';
  process.stdout.write(
    `NAME      READY   STATUS    RESTARTS\nbackend   ${running ? '1/1' : '0/1'}     ${running ? 'Running' : 'CrashLoopBackOff'}   ${restarts}\n`,
  );
  return 0;
}

function logs(): number {
  const file = join(dir, process.argv.includes('--previous') ? 'backend.previous.log' : 'backend.log');
  const lines = existsSync(file) ? readFileSync(file, 'utf8').trimEnd().split('\n') : [];
  const tail = Number(flag('tail') ?? lines.length);
  process.stdout.write(`${lines.slice(-tail).join('\n')}\n`);
  return 0;
}

function rolloutRestart(): number {
  const supervisor = pid('supervisor.pid');
  if (!alive(supervisor)) {
    process.stderr.write('error: the backend deployment is not running (lab supervisor down)\n');
    return 1;
  }
  process.kill(supervisor as number, 'SIGHUP');
  process.stdout.write('deployment.apps/backend restarted\n');
  return 0;
}

async function rolloutStatus(): Promise<number> {
  const timeout = parseSeconds(flag('timeout') ?? '90s');
  const deadline = Date.now() + timeout * 1000;
  await new Promise((r) => setTimeout(r, 500));
  while (Date.now() < deadline) {
    if (await healthy()) {
      process.stdout.write('deployment "backend" successfully rolled out\n');
      return 0;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  process.stderr.write(`error: timed out waiting for the rollout to finish (${timeout}s)\n`);
  return 1;
}

function setEnv(): number {
  const config = readBackendConfig(dir);
  for (const pair of args.slice(3)) {
    const [key, value] = pair.split('=');
    if (key && value !== undefined && key in config) config[key as keyof BackendConfig] = value;
  }
  writeBackendConfig(dir, config);
  process.stdout.write('deployment.apps/backend env updated\n');
  return 0;
}

function parseSeconds(text: string): number {
  const m = /^(\d+)(s|m)?$/.exec(text);
  return m ? Number(m[1]) * (m[2] === 'm' ? 60 : 1) : 90;
}

process.exitCode = await main();
