/** Why the walk ended before its last phase: an abort, a rollback asked for by a failure, an interruption. */
export interface Stop {
  kind: 'abort' | 'rollback' | 'interrupted';
  reason: string;
  stepFailed?: boolean;
  /** An interruption's exit code (128 + the signal). */
  exitCode?: number;
}

/** Why a run was stopped from outside (a signal, a closed output), as the CLI aborted it. */
export class RunStopRequest extends Error {
  override name = 'RunStopRequest';
  constructor(
    readonly reason: string,
    readonly exitCode: number,
  ) {
    super(reason);
  }
}

/** The Stop for a walk whose signal was aborted: the CLI's reason and exit code when it gave them. */
export function interruption(signal: AbortSignal): Stop {
  const why: unknown = signal.reason;
  return why instanceof RunStopRequest
    ? { kind: 'interrupted', reason: why.reason, exitCode: why.exitCode }
    : { kind: 'interrupted', reason: 'interrupted' };
}
