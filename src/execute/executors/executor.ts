import type { PlanStep } from '../../plan/plan-types.js';
import type { Delivery } from '../notify/send.js';
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
  /** Sends a message to the runbook's channels through the run's one sender (src/execute/notify/send.ts). */
  send(about: string, channels: readonly string[], text: string): Promise<Delivery[]>;
}

export type Executor = (step: PlanStep, ctx: ExecutorContext) => Promise<Attempt>;
