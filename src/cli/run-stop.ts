import { RunStopRequest } from '../execute/run-incident.js';
import { killRunningGroups } from '../execute/process/run-process.js';
import { STOP_EXIT } from '../model/errors.js';
import { whenOutputCloses } from './output.js';

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
/** After a second stop, how long the walk may take to write its last events before drillbook exits anyway. */
const LAST_RESORT_MS = 10_000;

/**
 * SIGINT, SIGTERM, SIGHUP and a closed output all stop a run the same way: the walk is aborted,
 * the running step's process group gets SIGTERM then SIGKILL after a grace period, the journal
 * gets run-finished with the reason, and drillbook exits 128 + the signal (141 for a closed output).
 * A second stop does not wait for the grace period: every running group is killed at once.
 */
export function watchRunStops(controller: AbortController): () => void {
  let stops = 0;
  const stop = (reason: string, exitCode: number) => {
    stops += 1;
    if (stops === 1) {
      controller.abort(new RunStopRequest(reason, exitCode));
      return;
    }
    killRunningGroups('SIGKILL');
    if (stops === 2) setTimeout(() => process.exit(exitCode), LAST_RESORT_MS).unref();
  };
  const handlers = SIGNALS.map((signal) => {
    const handler = () => {
      stop(`interrupted by ${signal}`, STOP_EXIT[signal]);
    };
    process.on(signal, handler);
    return () => process.off(signal, handler);
  });
  const stopListening = whenOutputCloses((why) => {
    stop(`${why}: nobody reads the run's output any more`, STOP_EXIT.outputClosed);
  });
  const stopHangup = watchStarterPipe(() => {
    stop('hung up: the process that started this run is gone', STOP_EXIT.SIGHUP);
  });
  return () => {
    for (const off of handlers) off();
    stopListening();
    stopHangup();
  };
}

/**
 * With DRILLBOOK_STOP_WITH_STDIN=1 (set by the service's worker, which holds the other end of the run's
 * standard input and never writes to it), the end of standard input means the worker died: the run stops as
 * on a hang-up, its step's process group stopped and its journal finished, instead of running on unwatched.
 */
function watchStarterPipe(hangUp: () => void): () => void {
  if (process.env.DRILLBOOK_STOP_WITH_STDIN !== '1') return () => {};
  const stdin = process.stdin;
  stdin.on('end', hangUp);
  stdin.on('error', hangUp);
  stdin.resume();
  return () => {
    stdin.off('end', hangUp);
    stdin.off('error', hangUp);
    stdin.destroy();
  };
}
