import { spawn, type ChildProcess } from 'node:child_process';
import { runSecrets, type SecretMasker } from '../secrets.js';
import { childEnvironment } from './child-env.js';
import { spawnFailureMessage } from './failure-message.js';

/** Output beyond this many bytes per stream is dropped from the head; the tail is what matters. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024;
const KILL_GRACE_MS = 1_000;

/** Process groups of the steps running now, so a second signal can end them at once. */
const runningGroups = new Set<number>();

/** Ends every running step's process group now (the second Ctrl-C, or drillbook itself must go). */
export function killRunningGroups(signal: NodeJS.Signals = 'SIGKILL'): void {
  for (const pid of runningGroups) killGroup(pid, signal);
}

export interface ProcessSpec {
  argv?: string[];
  script?: string;
  cwd?: string;
  env: Record<string, string>;
  timeoutMs: number | null;
  signal: AbortSignal;
}

export interface ProcessOutcome {
  exitCode: number | null;
  timedOut: boolean;
  interrupted: boolean;
  /** The tails of the streams, the run's secrets masked (before the cut, see TailBuffer). */
  stdout: string;
  stderr: string;
  truncatedBytes: number;
  spawnError?: string;
}

/**
 * Runs one command in its own process group, so a timeout or Ctrl-C stops the whole tree
 * (a shell's grandchildren too). An argument list never goes through a shell.
 */
export async function runProcess(spec: ProcessSpec): Promise<ProcessOutcome> {
  const [file, ...args] = spec.script !== undefined ? ['/bin/sh', '-c', spec.script] : (spec.argv ?? []);
  if (file === undefined) return notStarted('empty command');
  // node:child_process directly: execa cost about 3 ms more CPU per command (docs/performance.md).
  const child = spawn(file, args, {
    cwd: spec.cwd,
    env: childEnvironment(spec.env),
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  if (child.pid !== undefined) runningGroups.add(child.pid);
  const masker = runSecrets();
  const stdout = new TailBuffer(OUTPUT_LIMIT_BYTES, masker);
  const stderr = new TailBuffer(OUTPUT_LIMIT_BYTES, masker);
  child.stdout.on('data', (chunk: Buffer) => {
    stdout.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr.push(chunk);
  });
  const stop = new GroupStopper(child.pid, spec);
  try {
    const { code, spawnError } = await closed(child, file, args, spec.cwd);
    // The leader may exit while grandchildren it left behind still hold the group: stop them too.
    if (stop.timedOut || stop.interrupted) killGroup(child.pid, 'SIGKILL');
    return {
      exitCode: code,
      timedOut: stop.timedOut,
      interrupted: stop.interrupted,
      stdout: stdout.text(),
      stderr: stderr.text(),
      truncatedBytes: stdout.dropped + stderr.dropped,
      ...(spawnError ? { spawnError } : {}),
    };
  } finally {
    if (child.pid !== undefined) runningGroups.delete(child.pid);
    stop.dispose();
  }
}

function notStarted(spawnError: string): ProcessOutcome {
  return { exitCode: null, timedOut: false, interrupted: false, stdout: '', stderr: '', truncatedBytes: 0, spawnError };
}

/** 'close' comes after the exit and after both pipes are drained; after 'error' if it never started. */
function closed(
  child: ChildProcess,
  file: string,
  args: string[],
  cwd: string | undefined,
): Promise<{ code: number | null; spawnError?: string }> {
  return new Promise((resolve) => {
    let failure: string | undefined;
    child.once('error', (error: NodeJS.ErrnoException) => {
      failure = spawnFailureMessage(file, args, error, cwd);
    });
    child.once('close', (exitCode: number | null) => {
      resolve(failure !== undefined ? { code: null, spawnError: failure } : { code: exitCode });
    });
  });
}

/** Stops a step's process group at its deadline or when the run is aborted: SIGTERM, then SIGKILL after a grace. */
class GroupStopper {
  timedOut = false;
  interrupted = false;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly onAbort = () => {
    this.interrupted = true;
    this.stop();
  };

  constructor(
    private readonly pid: number | undefined,
    private readonly spec: ProcessSpec,
  ) {
    this.timer =
      spec.timeoutMs === null
        ? undefined
        : setTimeout(() => {
            this.timedOut = true;
            this.stop();
          }, spec.timeoutMs);
    spec.signal.addEventListener('abort', this.onAbort, { once: true });
    if (spec.signal.aborted) this.onAbort();
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.spec.signal.removeEventListener('abort', this.onAbort);
  }

  private stop(): void {
    killGroup(this.pid, 'SIGTERM');
    setTimeout(() => {
      killGroup(this.pid, 'SIGKILL');
    }, KILL_GRACE_MS).unref();
  }
}

function killGroup(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Keeps the last `limit` bytes of a stream and counts what it dropped. It keeps `slack` bytes more (the longest
 * written form of a secret) and masks before it cuts them: a secret that the cut at `limit` would halve is masked
 * whole, and a piece of one that the stream's earlier dropping left at the head is cut away with the slack.
 */
class TailBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  private readonly slack: number;
  private droppedRaw = 0;

  constructor(
    private readonly limit: number,
    private readonly masker: SecretMasker,
  ) {
    this.slack = masker.longestFormBytes;
  }

  get dropped(): number {
    return this.droppedRaw === 0 ? 0 : this.droppedRaw + this.slack;
  }

  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.size += chunk.length;
    const keep = this.limit + this.slack;
    while (this.size > keep && this.chunks.length > 0) {
      const head = this.chunks[0] as Buffer;
      const excess = this.size - keep;
      if (head.length <= excess) {
        this.chunks.shift();
        this.size -= head.length;
        this.droppedRaw += head.length;
      } else {
        this.chunks[0] = head.subarray(excess);
        this.size -= excess;
        this.droppedRaw += excess;
      }
    }
  }

  text(): string {
    const masked = this.masker.mask(Buffer.concat(this.chunks).toString('utf8'));
    if (this.droppedRaw === 0) return masked;
    // A piece of a secret left at the head is shorter than the slack (in UTF-16 units, which never outnumber bytes).
    let cut = Math.min(this.slack, masked.length);
    if (/[\udc00-\udfff]/.test(masked.charAt(cut))) cut += 1;
    return this.masker.maskCut(masked.slice(cut), { start: true });
  }
}
