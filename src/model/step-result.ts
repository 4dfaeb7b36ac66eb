/** The closed set of step outcomes: one shape for success and failure, so every report reads the same fields. */
export type StepStatus =
  'pending' | 'running' | 'passed' | 'failed' | 'skipped' | 'timed-out' | 'simulated' | 'unknown' | 'rolled-back';

/** One shape for every step kind, failures included. */
export interface StepResult {
  status: StepStatus;
  startedAt: string;
  durationMs: number;
  exitCode?: number;
  /** Tail of stdout/stderr (bounded, secrets masked). */
  output?: string;
  error?: string;
  /** Fields a probe reported (status, lag_seconds, role ...), used by expect and capture. */
  fields?: Record<string, unknown>;
  attempts?: number;
  /** Why a step was skipped, or how it was approved (--yes, by hand). */
  note?: string;
  /** Simulate mode: the estimate this step contributes to the projected timeline. */
  projectedMs?: number;
}

export function isSuccess(status: StepStatus): boolean {
  return status === 'passed' || status === 'simulated' || status === 'skipped';
}
