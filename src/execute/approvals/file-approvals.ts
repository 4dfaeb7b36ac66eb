import { existsSync, linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ApprovalDecision, ApprovalRequest, ApprovalSource } from './approval-types.js';

/** A decision on a request of a run without a store: runs/RUN/approvals/REQUEST.json. */
export function decisionPath(dir: string, requestId: string): string {
  return join(dir, `${requestId}.json`);
}

/**
 * Writes a decision unless one is there: written whole to a temporary file, then hard-linked into place,
 * which fails when the name exists. So `drillbook approve` and the run's own expiry cannot both win, and
 * a reader never sees half a file. False when a decision was already there.
 */
export function writeDecision(dir: string, requestId: string, decision: ApprovalDecision): boolean {
  mkdirSync(dir, { recursive: true });
  const temporary = join(dir, `.${requestId}.${process.pid}.tmp`);
  writeFileSync(temporary, `${JSON.stringify(decision)}\n`);
  try {
    linkSync(temporary, decisionPath(dir, requestId));
    return true;
  } catch (error) {
    if ((error as { code?: unknown }).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** The decision written for a request, or undefined while there is none. */
export function readDecision(dir: string, requestId: string): ApprovalDecision | undefined {
  const path = decisionPath(dir, requestId);
  if (!existsSync(path)) return undefined;
  return JSON.parse(readFileSync(path, 'utf8')) as ApprovalDecision;
}

/** Decisions for a CLI run without a store: files in the run's approvals/ folder, written by `drillbook approve`. */
export function fileApprovals(dir: string): ApprovalSource {
  const settle = (request: ApprovalRequest, status: 'timed-out' | 'withdrawn'): ApprovalDecision => {
    const decision: ApprovalDecision = { status, by: null, at: new Date().toISOString() };
    return writeDecision(dir, request.id, decision) ? decision : (readDecision(dir, request.id) ?? decision);
  };
  return {
    open: () => {
      mkdirSync(dir, { recursive: true });
      return Promise.resolve();
    },
    poll: (request) => Promise.resolve(readDecision(dir, request.id)),
    expire: (request) => Promise.resolve(settle(request, 'timed-out')),
    withdraw: (request) => {
      settle(request, 'withdrawn');
      return Promise.resolve();
    },
    close: () => Promise.resolve(),
  };
}
