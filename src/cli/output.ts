/**
 * drillbook's own output (stdout, stderr) can go away under it: `drillbook run … | head`, a closed
 * terminal. Writing then fails with EPIPE or EIO. That must never kill a run half-way (its journal
 * unfinished) nor end it with exit 0: a run in progress is told, and stops like on a signal.
 */
let closed = false;
let onClosed: ((reason: string) => void) | undefined;

export function guardOutput(): void {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (closed) return;
      closed = true;
      if (onClosed) onClosed(`output closed (${error.code ?? error.message})`);
      // No run to finish: the command's output is simply done.
      else process.exit(process.exitCode ?? 0);
    });
  }
}

/** Lets a run stop cleanly when its output closes; returns the function that stops listening. */
export function whenOutputCloses(handler: (reason: string) => void): () => void {
  onClosed = handler;
  return () => {
    if (onClosed === handler) onClosed = undefined;
  };
}

/** Writes to stdout while anyone reads it; after that, output is dropped, never thrown. */
export function writeOut(text: string): void {
  if (!closed) process.stdout.write(text);
}
