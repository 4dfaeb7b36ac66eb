/** What a step's approval asks, in the one wording every renderer, prompt and API answer uses. */
export interface ApprovalNeedInput {
  timeout: string;
  approvers?: readonly string[];
  note?: string;
}

/** Who may decide: the named approvers, or any second person. The starter never may. */
export function approverWords(approvers: readonly string[] | undefined): string {
  if (!approvers || approvers.length === 0) return 'a second person';
  if (approvers.length === 1) return approvers[0] ?? '';
  return `${approvers.slice(0, -1).join(', ')} or ${approvers.at(-1) ?? ''}`;
}

/** "needs approval by alice or bob within 15m, not by the run's starter" */
export function approvalNeed(approval: ApprovalNeedInput): string {
  return `needs approval by ${approverWords(approval.approvers)} within ${approval.timeout}, not by the run's starter`;
}

/** Why a step needs a second person: its approval note, else its why, else that it is destructive. */
export function approvalWhy(step: { approval?: { note?: string }; why?: string; confirm?: boolean }): string {
  return step.approval?.note ?? step.why ?? (step.confirm === true ? 'a destructive step' : 'the runbook asks for it');
}
