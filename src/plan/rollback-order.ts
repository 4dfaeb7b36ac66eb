/**
 * Rollback steps are written as an undo stack (the change made last is undone first) and run
 * bottom-up. The one place that rule lives: the run, the progress view, `plan` and the rendered
 * documents all show rollback steps in the order this returns.
 */
export function rollbackRunOrder<T>(steps: readonly T[] | undefined): T[] {
  return [...(steps ?? [])].reverse();
}
