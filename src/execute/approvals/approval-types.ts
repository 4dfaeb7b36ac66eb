import { EXIT, UsageError } from '../../model/errors.js';

/** A run's request for a second person's decision on one step (the store's approvals row, the API's answer). */
export interface ApprovalRequest {
  id: string;
  runId: string;
  incident: string;
  runbook: string;
  step: string;
  stepTitle: string;
  /** What the step will do, as the responder sees it (secrets masked). */
  command: string;
  /** The approval's note, the step's why, or that it is destructive. */
  why: string;
  /** Empty: anyone but the starter may decide. */
  approvers: string[];
  requestedBy: string;
  requestedAt: string;
  deadline: string;
}

/** withdrawn: the run stopped while waiting (interrupted); a resume asks again with a new request. */
export type ApprovalStatus = 'pending' | 'granted' | 'denied' | 'timed-out' | 'withdrawn';

export interface ApprovalDecision {
  status: Exclude<ApprovalStatus, 'pending'>;
  /** Who decided; null when the deadline did (or the run withdrew it). */
  by: string | null;
  at: string;
  comment?: string;
}

/**
 * Where decisions come from: the store (a run that ships to one, so the API and console see it) or the run's
 * own approvals/ folder (a CLI run without a store). The run opens a request, polls it, and at the deadline
 * expires it; the first of a decision and the expiry wins, in both sources.
 */
export interface ApprovalSource {
  open(request: ApprovalRequest): Promise<void>;
  /** The decision, or undefined while the request is pending. */
  poll(request: ApprovalRequest): Promise<ApprovalDecision | undefined>;
  /** Times the request out, unless a decision got there first: then that decision. */
  expire(request: ApprovalRequest): Promise<ApprovalDecision>;
  withdraw(request: ApprovalRequest): Promise<void>;
  close(): Promise<void>;
}

/**
 * Why a decision is refused: the API's 403/404/409, the CLI's one-line error (exit 1). A UsageError, so the
 * store's error wrapping and the CLI's one error handler pass it through as it is.
 */
export class ApprovalRefused extends UsageError {
  override name = 'ApprovalRefused';
  override readonly exitCode: number = EXIT.failed;
  constructor(
    readonly reason: 'forbidden' | 'not-found' | 'not-pending',
    message: string,
  ) {
    super(message);
  }
}

/** The one rule of who may decide: never the starter; when approvers are named, only they. */
export function checkDecider(request: Pick<ApprovalRequest, 'requestedBy' | 'approvers' | 'step'>, by: string): void {
  if (by === request.requestedBy)
    throw new ApprovalRefused(
      'forbidden',
      `${by} started this run and cannot approve its own step "${request.step}": a second person must decide`,
    );
  if (request.approvers.length > 0 && !request.approvers.includes(by))
    throw new ApprovalRefused(
      'forbidden',
      `${by} may not decide step "${request.step}": only ${request.approvers.join(', ')} may`,
    );
}
