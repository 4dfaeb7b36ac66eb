import type { SessionView } from '../../tabletop/session-view.js';

/** A time on the exercise clock, always with seconds (`T+0:12:00`), so the ticking clock keeps its width. */
export function roomClock(ms: number): string {
  const total = Math.floor(ms / 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  return `T+${Math.floor(total / 3600)}:${two(Math.floor((total % 3600) / 60))}:${two(total % 60)}`;
}

/**
 * The exercise clock between two reads of the session: the service's reading plus the time since, while it
 * runs. The service's clock stays the truth; each read resets this one to it.
 */
export class ExerciseClock {
  private ms = 0;
  private running = false;
  private readAt = 0;

  set(clock: SessionView['clock'], ended: boolean): void {
    this.ms = clock.ms;
    this.running = clock.running && !ended;
    this.readAt = performance.now();
  }

  isRunning(): boolean {
    return this.running;
  }

  now(): number {
    return this.ms + (this.running ? performance.now() - this.readAt : 0);
  }
}
