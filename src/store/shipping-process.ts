import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import type { StoreConfig } from './store-config.js';

/** How long a run's end waits for the last batch; the journal keeps whatever is left. */
const FINAL_FLUSH_MS = 2000;
/**
 * Lines gather this long in the run's process before one write hands them to the shipper: a write per event
 * would wake the shipper twice per step, and on a busy machine its wake-ups are taken from the steps.
 */
const HANDOVER_MS = 100;

export interface ShippingProcess {
  /** Hands over one durable journal line: one write to a pipe, nothing awaited. */
  add(seq: number, line: string): void;
  /** Ends the input and waits (within the final-flush deadline) for the last batch. */
  finish(): Promise<void>;
}

/**
 * Starts the run's shipper (ship-child.ts) as a process of its own. `env` is the one steps get (the runbook's
 * secrets withheld) plus DRILLBOOK_STORE: the caller makes it, since this module is loaded from tsc's output
 * (scripts/build.mjs), where ship-child.js sits beside it, and shares no module state with the CLI bundle.
 * Its lines (the store is behind) reach `say`, which masks them.
 */
export function startShippingProcess(o: {
  config: StoreConfig;
  env: NodeJS.ProcessEnv;
  runId: string;
  journalPath: string;
  say: (line: string) => void;
}): ShippingProcess {
  const script = fileURLToPath(new URL('./ship-child.js', import.meta.url));
  const child = spawn(process.execPath, [script, o.runId, o.journalPath, String(FINAL_FLUSH_MS)], {
    env: o.env,
    stdio: ['pipe', 'ignore', 'pipe'],
  });
  forwardLines(child, o.say);
  // A shipper that cannot start (or dies) costs the store its copy, never the run: the journal has it all.
  child.stdin.on('error', () => {});
  const exited = new Promise<void>((resolve) => {
    child.on('error', () => {
      resolve();
    });
    child.on('close', () => {
      resolve();
    });
  });
  let waiting: string[] = [];
  let timer: NodeJS.Timeout | undefined;
  const handOver = () => {
    timer = undefined;
    if (waiting.length > 0 && child.stdin.writable) child.stdin.write(waiting.join(''));
    waiting = [];
  };
  return {
    add(seq, line) {
      waiting.push(`${seq}\t${line}`);
      timer ??= setTimeout(handOver, HANDOVER_MS);
    },
    async finish() {
      clearTimeout(timer);
      handOver();
      child.stdin.end();
      const late = setTimeout(() => child.kill('SIGKILL'), FINAL_FLUSH_MS + 3000);
      await exited;
      clearTimeout(late);
    },
  };
}

/** The shipper's own lines (the store is behind), whole lines only, to `say`. */
function forwardLines(child: ChildProcessByStdio<Writable, null, Readable>, say: (line: string) => void): void {
  let said = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    said += chunk;
    const lines = said.split('\n');
    said = lines.pop() ?? '';
    for (const line of lines) if (line !== '') say(line);
  });
}
