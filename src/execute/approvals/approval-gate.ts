import { randomUUID } from 'node:crypto';
import type { JournalWriter } from '../../journal/journal-writer.js';
import { approvalWhy } from '../../model/approval-need.js';
import { messageOf } from '../../model/error-message.js';
import type { PlanStep } from '../../plan/plan-types.js';
import { OperatorGone } from '../mode-policy.js';
import { sleep } from '../sleep.js';
import type { ApprovalDecision, ApprovalRequest, ApprovalSource } from './approval-types.js';

/** How often a waiting run asks its source for a decision. */
export const POLL_MS = 500;

/** What a run knows to ask for approval: who it is, and how a step's action reads (secrets masked). */
export interface ApprovalGateOptions {
  source: ApprovalSource;
  journal: JournalWriter;
  runId: string;
  incident: string;
  runbook: string;
  /** The run's operator: its starter, who can never decide. */
  operator: string;
  describe: (step: PlanStep) => string;
}

/** The step may run, or the run aborts with this reason. */
export type GateAnswer = { granted: true; note: string } | { granted: false; reason: string };

/**
 * Before a step with `approval` runs (auto and interactive; simulate never gets here), the run journals a
 * request, and waits for a decision from its source: granted runs the step; denied or the timeout aborts the
 * run. A run stopped while waiting withdraws its request (a resume asks again) and stops as interrupted.
 */
export class ApprovalGate {
  constructor(private readonly o: ApprovalGateOptions) {}

  async ask(step: PlanStep, signal: AbortSignal): Promise<GateAnswer> {
    const approval = step.approval;
    if (!approval) return { granted: true, note: '' };
    const request = this.request(step, approval.timeoutMs, approval.approvers);
    try {
      await this.o.source.open(request);
    } catch (error) {
      const reason = `step "${step.id}" needs approval, and the request could not be opened: ${messageOf(error)}`;
      return { granted: false, reason };
    }
    const { journal } = this.o;
    journal.append(
      {
        type: 'approval-requested',
        runId: request.runId,
        step: step.id,
        requestId: request.id,
        approvers: request.approvers,
        requestedBy: request.requestedBy,
        deadline: request.deadline,
        why: request.why,
      },
      { durable: true },
    );
    const decision = await this.wait(request, signal);
    return this.settled(step, request, decision);
  }

  close(): Promise<void> {
    return this.o.source.close();
  }

  private request(step: PlanStep, timeoutMs: number, approvers: string[]): ApprovalRequest {
    const now = Date.now();
    return {
      id: randomUUID(),
      runId: this.o.runId,
      incident: this.o.incident,
      runbook: this.o.runbook,
      step: step.id,
      stepTitle: step.title,
      command: this.o.describe(step),
      why: approvalWhy(step),
      approvers,
      requestedBy: this.o.operator,
      requestedAt: new Date(now).toISOString(),
      deadline: new Date(now + timeoutMs).toISOString(),
    };
  }

  /** Polls until a decision or the deadline; a source that fails a poll is asked again at the next one. */
  private async wait(request: ApprovalRequest, signal: AbortSignal): Promise<ApprovalDecision> {
    const deadline = Date.parse(request.deadline);
    for (;;) {
      const decision = await this.o.source.poll(request).catch(() => undefined);
      if (decision) return decision;
      if (Date.now() >= deadline) return this.expire(request);
      await sleep(Math.min(POLL_MS, Math.max(0, deadline - Date.now())), signal);
      if (signal.aborted) {
        await this.o.source.withdraw(request).catch(() => {});
        throw new OperatorGone(`the run stopped while step "${request.step}" waited for approval`);
      }
    }
  }

  private expire(request: ApprovalRequest): Promise<ApprovalDecision> {
    return this.o.source
      .expire(request)
      .catch(() => ({ status: 'timed-out' as const, by: null, at: new Date().toISOString() }));
  }

  private settled(step: PlanStep, request: ApprovalRequest, d: ApprovalDecision): GateAnswer {
    const base = { step: step.id, requestId: request.id };
    const comment = d.comment ? { comment: d.comment } : {};
    if (d.status === 'granted' && d.by !== null) {
      this.o.journal.append({ type: 'approval-granted', ...base, by: d.by, ...comment }, { durable: true });
      return { granted: true, note: `approved by ${d.by}${d.comment ? `: ${d.comment}` : ''}` };
    }
    if (d.status === 'denied' && d.by !== null) {
      this.o.journal.append({ type: 'approval-denied', ...base, by: d.by, ...comment }, { durable: true });
      return {
        granted: false,
        reason: `step "${step.id}" was denied approval by ${d.by}${d.comment ? `: ${d.comment}` : ''}`,
      };
    }
    this.o.journal.append({ type: 'approval-timed-out', ...base }, { durable: true });
    return {
      granted: false,
      reason: `step "${step.id}" was not approved within ${step.approval?.timeout ?? ''}: nobody decided before the deadline`,
    };
  }
}
