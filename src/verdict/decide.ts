import { EXIT } from '../model/errors.js';
import type { RunOutcome } from '../journal/events.js';

/**
 * How a walk ended, as plain facts: what the executor saw, nothing judged yet. The walk records these
 * (run-incident.ts `finish()`), and the journal gives them back (verdict.ts `readFacts`); `decide` is
 * the only code that turns them into an outcome, "met" and an exit code.
 */
export interface VerdictFacts {
  simulated: boolean;
  ending: Ending;
  /** When the recovered condition held (real runs) or the projection reached it (simulate); null when it never did. */
  recoveredAtMs: number | null;
  rtoTargetMs: number;
  rpoTargetMs: number | null;
  rpoMeasuredMs: number | null;
  /** An interruption's own exit code (128 + the signal, 141 for a closed output); 130 when not known. */
  stopExitCode?: number | null;
}

export type Ending =
  'recovered' | 'not-recovered' | 'step-failed' | 'aborted' | 'rolled-back' | 'interrupted' | 'unfinished';

export interface Decision {
  outcome: RunOutcome | 'unfinished';
  /** null: the run has not finished (crash or kill) and has no exit code yet. */
  exitCode: number | null;
  /**
   * RTO met: true only when recovery was reached within the target; false when it was reached late or
   * the run ended without recovering; null when the run stopped before it could tell (interrupted, unfinished).
   */
  rtoMet: boolean | null;
  /** RPO met: null when there is no target or nothing measured it. */
  rpoMet: boolean | null;
  /** The one "success": recovered (or projected to recover) within the RTO and not past the RPO. */
  withinTarget: boolean;
}

const ENDING_OUTCOME: Record<
  Exclude<Ending, 'recovered'>,
  { outcome: Decision['outcome']; exitCode: number | null }
> = {
  'not-recovered': { outcome: 'not-recovered', exitCode: EXIT.failed },
  'step-failed': { outcome: 'failed', exitCode: EXIT.failed },
  aborted: { outcome: 'aborted', exitCode: EXIT.failed },
  'rolled-back': { outcome: 'rolled-back', exitCode: EXIT.failed },
  interrupted: { outcome: 'interrupted', exitCode: EXIT.interrupted },
  unfinished: { outcome: 'unfinished', exitCode: null },
};

export function decide(f: VerdictFacts): Decision {
  const rpoMet = f.rpoTargetMs === null || f.rpoMeasuredMs === null ? null : f.rpoMeasuredMs <= f.rpoTargetMs;
  if (f.ending === 'recovered' && f.recoveredAtMs !== null) {
    const rtoMet = f.recoveredAtMs <= f.rtoTargetMs;
    const withinTarget = rtoMet && rpoMet !== false;
    return {
      outcome: f.simulated ? 'simulated' : 'recovered',
      exitCode: withinTarget ? EXIT.ok : EXIT.breached,
      rtoMet,
      rpoMet,
      withinTarget,
    };
  }
  const ending = f.ending === 'recovered' ? 'not-recovered' : f.ending;
  const stoppedEarly = ending === 'interrupted' || ending === 'unfinished';
  const { outcome, exitCode } = ENDING_OUTCOME[ending];
  return {
    outcome,
    exitCode: ending === 'interrupted' ? (f.stopExitCode ?? exitCode) : exitCode,
    rtoMet: stoppedEarly ? null : false,
    rpoMet,
    withinTarget: false,
  };
}

/** The journal's recorded outcome back to the ending that produced it (the inverse of ENDING_OUTCOME). */
export function endingOf(outcome: string): Ending {
  switch (outcome) {
    case 'recovered':
    case 'simulated':
      return 'recovered';
    case 'failed':
      return 'step-failed';
    case 'aborted':
    case 'rolled-back':
    case 'interrupted':
    case 'not-recovered':
      return outcome;
    default:
      return 'unfinished';
  }
}
