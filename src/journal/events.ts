import type { StepResult } from '../model/step-result.js';
import type { PlanSection } from '../plan/plan-types.js';
import type { TabletopPlan } from '../render/tabletop/session-plan.js';

/** Journal events, one JSON object per line. `t` is milliseconds since the run started. */
export type JournalEvent = { at: string; t: number } & (
  | {
      type: 'run-started';
      runId: string;
      incident: { id: string; title: string; severity: string; rtoMs: number; rpoMs: number | null };
      runbook: { file: string; name: string; version: string; sha256: string };
      environment: string;
      mode: string;
      operator: string;
      variables: Record<string, string>;
      phases: { id: string; title: string; budgetMs: number; steps: string[] }[];
      resumedFrom?: string;
      /** Host, OS user and CI job the run started from (absent in older journals). */
      origin?: { host: string; user: string; ci: Record<string, string> | null };
      /** The journal format (event-shape.ts); absent in journals written before it was recorded, which are format 1. */
      journalVersion?: number;
    }
  | { type: 'run-resumed'; operator: string; mode: string; from?: string }
  /** Opening the journal cut off a torn tail (a crash or a full disk mid-write) before appending. */
  | { type: 'journal-repaired'; droppedBytes: number }
  | { type: 'phase-started'; phase: string }
  | { type: 'phase-finished'; phase: string; durationMs: number; budgetMs: number; overrun: boolean }
  | { type: 'overrun'; scope: 'phase' | 'rto'; id: string; budgetMs: number }
  | {
      type: 'step-started';
      step: string;
      title: string;
      kind: string;
      section: PlanSection;
      phase: string | null;
      attempt: number;
    }
  | {
      type: 'step-finished';
      step: string;
      title: string;
      kind: string;
      section: PlanSection;
      phase: string | null;
      result: StepResult;
    }
  | { type: 'decision'; step: string; choice: string; by: string; note?: string }
  | { type: 'captured'; step: string; name: string; value: string }
  | { type: 'notification'; step: string; text: string; channel?: string }
  /**
   * An escalation level fired: the run's clock (`atMs`, projected in a simulation) passed its `after`. `line` is
   * what the responder reads; `channels` are the ones it is sent to (never in a simulation).
   */
  | {
      type: 'escalation';
      level: number;
      atMs: number;
      line: string;
      contacts: string[];
      channels: string[];
      projected?: boolean;
    }
  /** Status update number `n` was due: sent from its template (auto), or the responder reminded (interactive). */
  | {
      type: 'status-update';
      n: number;
      atMs: number;
      text: string;
      sent: boolean;
      channels: string[];
      projected?: boolean;
    }
  /** One message to one channel: delivered, skipped (and why), or failed (and why). `about` names what sent it. */
  | {
      type: 'delivery';
      about: string;
      channel: string;
      ok: boolean;
      skipped?: string;
      error?: string;
      /** Tries a webhook took (src/execute/notify/webhook.ts retries with back-off). */
      attempts?: number;
    }
  | { type: 'recovery-check'; ok: boolean; checks: { description: string; ok: boolean; error?: string }[] }
  | { type: 'section-started'; section: 'rollback' | 'always' | 'cleanup'; reason: string }
  /** A metric the runbook asks for at a step (`record:`), given by --record or asked for in interactive mode. */
  | { type: 'recorded'; step: string; name: string; value: string; by: string }
  /**
   * Two-person approval: the run asked for a decision on a step (before it runs) and waits until `deadline`.
   * `requestId` names the request in the store's approvals table or the run's approvals/ folder.
   */
  | {
      type: 'approval-requested';
      /** The run's id, so that the line a responder reads names what to type: drillbook approve RUN STEP. */
      runId: string;
      step: string;
      requestId: string;
      approvers: string[];
      requestedBy: string;
      deadline: string;
      why: string;
    }
  | { type: 'approval-granted' | 'approval-denied'; step: string; requestId: string; by: string; comment?: string }
  | { type: 'approval-timed-out'; step: string; requestId: string }
  /** Who reviews the run's test documentation (--reviewer). */
  | { type: 'reviewer'; name: string }
  /**
   * A tabletop session (docs/tabletop-sessions.md): its own journal, mode "tabletop". `clockMs` is the exercise
   * clock (which the facilitator pauses and advances), not `t`; `plan` is what the room walks.
   */
  | {
      type: 'session-started';
      sessionId: string;
      mode: 'tabletop';
      runbook: { name: string; version: string; sha256: string };
      incident: { id: string; title: string; severity: string; rto: string; rpo: string | null };
      facilitator: string;
      plan: TabletopPlan;
    }
  /** Inject `n` of the plan reached the room: the exercise clock passed its offset `atMs`. */
  | { type: 'inject-delivered'; n: number; atMs: number; clockMs: number; phase: string | null; text: string }
  | { type: 'decision-recorded'; clockMs: number; phase: string | null; text: string; by: string }
  | { type: 'gap-recorded'; clockMs: number; phase: string | null; text: string; by: string }
  | {
      type: 'action-recorded';
      clockMs: number;
      phase: string | null;
      text: string;
      owner: string;
      due?: string;
      by: string;
    }
  | { type: 'session-ended'; clockMs: number; by: string }
  | {
      type: 'run-finished';
      outcome: RunOutcome;
      exitCode: number;
      reason?: string;
      /** `outsideMs`: time spent in phases outside the RTO clock, already taken out of measuredMs / projectedMs. */
      rto: {
        targetMs: number;
        measuredMs: number | null;
        projectedMs: number | null;
        met: boolean | null;
        outsideMs?: number;
        outsidePhases?: string[];
      };
      rpo: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
    }
);

export type RunOutcome =
  'recovered' | 'not-recovered' | 'failed' | 'rolled-back' | 'aborted' | 'interrupted' | 'simulated';

export type EventBody = JournalEvent extends infer E ? (E extends unknown ? Omit<E, 'at' | 't'> : never) : never;
