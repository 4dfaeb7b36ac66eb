export interface Deadline {
  /** Aborts on an interrupt or when the time is up. */
  signal: AbortSignal;
  /** Milliseconds left, or undefined without a limit. */
  remainingMs(): number | undefined;
  /** The time is up (and it was not an interrupt). */
  expired(): boolean;
}

/** A step's time limit as an AbortSignal for its probes, and what is left of it. */
export function stepDeadline(limitMs: number | null, interrupt: AbortSignal): Deadline {
  if (limitMs === null) return { signal: interrupt, remainingMs: () => undefined, expired: () => false };
  const start = performance.now();
  const timer = AbortSignal.timeout(limitMs);
  const remainingMs = () => Math.max(0, limitMs - (performance.now() - start));
  return {
    signal: AbortSignal.any([interrupt, timer]),
    remainingMs,
    // A probe's own deadline (set to what was left) can fire a moment before the timer's abort does.
    expired: () => !interrupt.aborted && (timer.aborted || remainingMs() < 1),
  };
}
