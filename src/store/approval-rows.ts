import type { StoreClient } from './connect.js';
import {
  ApprovalRefused,
  checkDecider,
  type ApprovalDecision,
  type ApprovalRequest,
  type ApprovalStatus,
} from '../execute/approvals/approval-types.js';

/** An approval as the API answers it (and the web console reads it). */
export interface ApprovalView extends Omit<ApprovalRequest, 'step'> {
  /** The service's request id of the run, when the service queued it. */
  requestId: string | null;
  stepId: string;
  status: ApprovalStatus;
  decidedBy: string | null;
  decidedAt: string | null;
  comment: string | null;
}

/**
 * The approval's status as a reader sees it: a pending row past its deadline is timed out even when its run
 * died before it could say so (a decision on it is refused all the same).
 */
const VIEW = `
  select a.id::text as id, s.id::text as "requestId", a.run_id as "runId", a.incident, a.runbook,
         a.step as "stepId", a.step_title as "stepTitle", a.command, a.why, a.approvers,
         a.requested_by as "requestedBy", a.requested_at as "requestedAt", a.deadline,
         case when a.status = 'pending' and a.deadline <= now() then 'timed-out' else a.status end as status,
         a.decided_by as "decidedBy", a.decided_at as "decidedAt", a.comment
    from approvals a
    left join lateral (select id from service_runs where run_id = a.run_id order by requested_at limit 1) s on true`;

interface ViewRow extends Omit<ApprovalView, 'requestedAt' | 'deadline' | 'decidedAt'> {
  requestedAt: Date;
  deadline: Date;
  decidedAt: Date | null;
}

function fromRow(r: ViewRow): ApprovalView {
  return {
    ...r,
    requestedAt: r.requestedAt.toISOString(),
    deadline: r.deadline.toISOString(),
    decidedAt: r.decidedAt?.toISOString() ?? null,
  };
}

/** Approvals by status ('all': every one), newest first. */
export async function listApprovals(client: StoreClient, status: ApprovalStatus | 'all'): Promise<ApprovalView[]> {
  const r = await client.query<ViewRow>(
    `select * from (${VIEW}) v where $1 = 'all' or v.status = $1 order by v."requestedAt" desc limit 1000`,
    [status],
  );
  return r.rows.map(fromRow);
}

export async function approvalsOfRun(client: StoreClient, runId: string): Promise<ApprovalView[]> {
  const r = await client.query<ViewRow>(`select * from (${VIEW}) v where v."runId" = $1 order by v."requestedAt"`, [
    runId,
  ]);
  return r.rows.map(fromRow);
}

export async function insertApproval(client: StoreClient, a: ApprovalRequest): Promise<void> {
  await client.query(
    `insert into approvals (id, run_id, incident, runbook, step, step_title, command, why, approvers,
                            requested_by, requested_at, deadline)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
    [
      a.id,
      a.runId,
      a.incident,
      a.runbook,
      a.step,
      a.stepTitle,
      a.command,
      a.why,
      a.approvers,
      a.requestedBy,
      a.requestedAt,
      a.deadline,
    ],
  );
}

interface DecisionRow {
  status: ApprovalStatus;
  decided_by: string | null;
  decided_at: Date | null;
  comment: string | null;
}

function decisionOf(r: DecisionRow | undefined): ApprovalDecision | undefined {
  if (!r || r.status === 'pending') return undefined;
  return {
    status: r.status,
    by: r.decided_by,
    at: (r.decided_at ?? new Date()).toISOString(),
    ...(r.comment !== null ? { comment: r.comment } : {}),
  };
}

export async function storedDecision(client: StoreClient, id: string): Promise<ApprovalDecision | undefined> {
  const r = await client.query<DecisionRow>(
    'select status, decided_by, decided_at, comment from approvals where id = $1',
    [id],
  );
  return decisionOf(r.rows[0]);
}

/** Ends a pending request with no decider (timed out, withdrawn); a decision that got there first is returned instead. */
export async function settleApproval(
  client: StoreClient,
  id: string,
  status: 'timed-out' | 'withdrawn',
): Promise<ApprovalDecision> {
  const r = await client.query<DecisionRow>(
    `update approvals set status = $2, decided_at = now() where id = $1 and status = 'pending'
     returning status, decided_by, decided_at, comment`,
    [id, status],
  );
  return (
    decisionOf(r.rows[0]) ?? (await storedDecision(client, id)) ?? { status, by: null, at: new Date().toISOString() }
  );
}

export interface DecisionInput {
  /** A run id, or the service's request id of the run. */
  run: string;
  step: string;
  decision: 'grant' | 'deny';
  by: string;
  comment?: string;
}

/**
 * A person's decision on the newest request for a step of a run: refused (ApprovalRefused) for an unknown run
 * or step, the run's starter or a name not among the approvers, and a request no longer pending.
 */
export async function decideStoredApproval(client: StoreClient, input: DecisionInput): Promise<ApprovalView> {
  const latest = await client.query<ViewRow>(
    `select * from (${VIEW}) v
      where (v."runId" = $1 or v."requestId" = $1) and v."stepId" = $2
      order by v."requestedAt" desc limit 1`,
    [input.run, input.step],
  );
  const found = latest.rows[0];
  if (!found) throw await notFound(client, input);
  checkDecider({ requestedBy: found.requestedBy, approvers: found.approvers, step: found.stepId }, input.by);
  if (found.status !== 'pending') throw notPending(found.stepId, found.status);
  const updated = await client.query(
    `update approvals set status = $2, decided_by = $3, decided_at = now(), comment = $4
      where id = $1 and status = 'pending' and deadline > now()`,
    [found.id, input.decision === 'grant' ? 'granted' : 'denied', input.by, input.comment ?? null],
  );
  const now = await client.query<ViewRow>(`select * from (${VIEW}) v where v.id = $1`, [found.id]);
  const view = fromRow(now.rows[0] as ViewRow);
  if (updated.rowCount !== 1) throw notPending(view.stepId, view.status);
  return view;
}

function notPending(step: string, status: ApprovalStatus): ApprovalRefused {
  return new ApprovalRefused('not-pending', `the approval of step "${step}" is ${status}, not pending`);
}

async function notFound(client: StoreClient, input: DecisionInput): Promise<ApprovalRefused> {
  const known = await client.query(
    `select 1 from service_runs where id::text = $1 or run_id = $1
     union all select 1 from runs where id = $1
     union all select 1 from approvals where run_id = $1 limit 1`,
    [input.run],
  );
  return new ApprovalRefused(
    'not-found',
    known.rowCount === 0
      ? `no run "${input.run}" in the store`
      : `run "${input.run}" has asked for no approval of step "${input.step}"`,
  );
}
