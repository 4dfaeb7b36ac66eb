import type { PlanStep } from '../../plan/plan-types.js';
import type { RunVariables } from '../variables.js';

/** One attempt at a step; the walk adds timing, retries and the journal around it. */
export interface Attempt {
  status: 'passed' | 'failed' | 'timed-out' | 'unknown';
  exitCode?: number;
  output?: string;
  error?: string;
  fields?: Record<string, unknown>;
  /** Text that `capture` rules read (a command's stdout). */
  stdout?: string;
}

export interface ExecutorContext {
  vars: RunVariables;
  signal: AbortSignal;
  /** Sends a rendered notification to whoever watches the run; returns the text sent. */
  notify(step: PlanStep, text: string): Promise<void>;
}

export type Executor = (step: PlanStep, ctx: ExecutorContext) => Promise<Attempt>;
