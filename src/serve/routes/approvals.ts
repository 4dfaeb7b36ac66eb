import type { FastifyInstance } from 'fastify';
import { ApprovalRefused } from '../../execute/approvals/approval-types.js';
import type { StoreClient } from '../../store/connect.js';
import { decideStoredApproval, listApprovals, type ApprovalView } from '../../store/approval-rows.js';
import { HttpError, type ServiceContext } from '../context.js';
import { ID_PARAMS } from './schemas.js';

const TEXT = { type: 'string' } as const;
const MAYBE_TEXT = { type: ['string', 'null'] } as const;

/** One approval as the API answers it: the contract the web console's approvals inbox reads. */
export const APPROVAL = {
  type: 'object',
  properties: {
    id: TEXT,
    requestId: MAYBE_TEXT,
    runId: TEXT,
    incident: TEXT,
    runbook: TEXT,
    stepId: TEXT,
    stepTitle: TEXT,
    command: TEXT,
    why: TEXT,
    approvers: { type: 'array', items: TEXT },
    requestedBy: TEXT,
    requestedAt: TEXT,
    deadline: TEXT,
    status: { type: 'string', enum: ['pending', 'granted', 'denied', 'timed-out', 'withdrawn'] },
    decidedBy: MAYBE_TEXT,
    decidedAt: MAYBE_TEXT,
    comment: MAYBE_TEXT,
  },
  required: ['id', 'runId', 'stepId', 'status', 'requestedBy', 'deadline', 'approvers'],
} as const;

const STATUSES = ['pending', 'granted', 'denied', 'timed-out', 'all'] as const;

const DECISION_BODY = {
  type: 'object',
  properties: {
    step: { type: 'string', minLength: 1, maxLength: 200 },
    decision: { type: 'string', enum: ['grant', 'deny'] },
    comment: { type: 'string', maxLength: 2000 },
  },
  required: ['step', 'decision'],
  additionalProperties: false,
} as const;

/** ApprovalRefused's reasons as HTTP statuses. */
const REFUSED_STATUS = { forbidden: 403, 'not-found': 404, 'not-pending': 409 } as const;

export function registerApprovalRoutes(app: FastifyInstance, ctx: ServiceContext): void {
  listRoute(app, ctx);
  decideRoute(app, ctx);
}

function listRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.get<{ Querystring: { status?: (typeof STATUSES)[number] } }>(
    '/api/approvals',
    {
      config: { role: 'viewer' },
      schema: {
        summary: 'two-person approvals, newest first: pending (default), granted, denied, timed-out or all',
        querystring: {
          type: 'object',
          properties: { status: { type: 'string', enum: STATUSES } },
          additionalProperties: false,
        },
        response: {
          200: { type: 'object', properties: { approvals: { type: 'array', items: APPROVAL } } },
        },
      },
    },
    async (request) => ({
      approvals: await listApprovals(ctx.pool as unknown as StoreClient, request.query.status ?? 'pending'),
    }),
  );
}

function decideRoute(app: FastifyInstance, ctx: ServiceContext): void {
  app.post<{ Params: { id: string }; Body: { step: string; decision: 'grant' | 'deny'; comment?: string } }>(
    '/api/runs/:id/approvals',
    {
      config: { role: 'approver' },
      schema: {
        summary:
          "grant or deny a step waiting for approval (:id is the request or run id); never by the run's starter, only by its approvers when it names them",
        params: ID_PARAMS,
        body: DECISION_BODY,
        response: { 200: { type: 'object', properties: { approval: APPROVAL } } },
      },
    },
    async (request) => {
      const { step, decision, comment } = request.body;
      let approval: ApprovalView;
      try {
        approval = await decideStoredApproval(ctx.pool as unknown as StoreClient, {
          run: request.params.id,
          step,
          decision,
          by: request.caller?.name ?? '',
          ...(comment !== undefined ? { comment } : {}),
        });
      } catch (error) {
        if (error instanceof ApprovalRefused) throw new HttpError(REFUSED_STATUS[error.reason], error.message);
        throw error;
      }
      return { approval };
    },
  );
}
