import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { StoreConfig } from '../store/store-config.js';
import type { RunRequest } from './service-runs.js';

/** The CLI itself: a run under the service is `drillbook run`, its journal and its shipping unchanged. */
const BIN = fileURLToPath(new URL('../../bin/drillbook.js', import.meta.url));

export interface RunChild {
  child: ChildProcess;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }>;
}

/**
 * Starts `drillbook run INC --mode M --yes --json -f FILE` with its own DRILLBOOK_HOME. The store's URL goes in
 * the environment (DRILLBOOK_STORE, which the run withholds from its steps), and so does the run id the
 * worker chose and recorded before the run starts (DRILLBOOK_RUN_ID), not on a command line `ps` shows.
 */
export function startRun(
  req: RunRequest,
  runId: string,
  runbookFile: string,
  home: string,
  store: StoreConfig,
): RunChild {
  const args = [BIN, 'run', req.incident, '--mode', req.mode, '--yes', '--json', '-f', runbookFile];
  if (req.environment !== undefined) args.push('--env', req.environment);
  for (const [k, v] of Object.entries(req.vars ?? {})) args.push('--var', `${k}=${v}`);
  // The run's operator is who asked for it (drillbook run takes the operator from USER).
  return spawnCli(args, home, store, {
    USER: req.requestedBy,
    DRILLBOOK_STOP_WITH_STDIN: '1',
    DRILLBOOK_RUN_ID: runId,
  });
}

/** `drillbook sync` for one job's home: ships what the run did not (a simulation, a lagging tail). */
export function syncHome(home: string, store: StoreConfig): RunChild {
  return spawnCli([BIN, 'sync'], home, store);
}

function spawnCli(args: string[], home: string, store: StoreConfig, extra: NodeJS.ProcessEnv = {}): RunChild {
  const child = spawn(process.execPath, args, {
    cwd: home,
    env: { ...process.env, ...extra, DRILLBOOK_HOME: home, DRILLBOOK_STORE: store.url, NO_COLOR: '1' },
    // stdin: a pipe never written to; it closes when this worker dies, and the run then stops (run-stop.ts).
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (d: string) => {
    stderr = (stderr + d).slice(-4000);
  });
  // stdout is read (a closed pipe would stop the run) and dropped: the journal is the record.
  child.stdout?.resume();
  return {
    child,
    exited: new Promise((resolve) => {
      child.on('close', (code, signal) => {
        resolve({ code, signal, stderr });
      });
    }),
  };
}
