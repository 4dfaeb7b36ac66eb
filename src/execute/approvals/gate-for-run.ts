import { join } from 'node:path';
import type { JournalWriter } from '../../journal/journal-writer.js';
import type { Plan, PlanStep } from '../../plan/plan-types.js';
import type { StoreConfig } from '../../store/store-config.js';
import type { RunVariables } from '../variables.js';
import { ApprovalGate } from './approval-gate.js';
import { fileApprovals } from './file-approvals.js';
import { storeApprovals } from './store-approvals.js';

/** The folder of a run's file approvals (a run without a store): runs/RUN/approvals. */
export function approvalsDir(runDir: string): string {
  return join(runDir, 'approvals');
}

/**
 * A real run's approval gate: decisions come from the store when the run ships to one (the service's runs,
 * so the API and console decide), else from the run's approvals/ folder (`drillbook approve`).
 */
export function approvalGateFor(run: {
  plan: Plan;
  runId: string;
  /** The run's folder (runs/RUN). */
  dir: string;
  operator: string;
  journal: JournalWriter;
  variables: RunVariables;
  store: StoreConfig | undefined;
  masker: { mask(text: string): string };
}): ApprovalGate {
  const source = run.store ? storeApprovals(run.store) : fileApprovals(approvalsDir(run.dir));
  return new ApprovalGate({
    source,
    journal: run.journal,
    runId: run.runId,
    incident: run.plan.incident.id,
    runbook: run.plan.runbook.name,
    operator: run.operator,
    describe: (step) => run.masker.mask(actionText(step, run.variables)),
  });
}

/** What the approver is asked to let happen: the command, or the manual instruction. */
function actionText(step: PlanStep, vars: RunVariables): string {
  if (step.command) return vars.display(step.command.script ?? (step.command.argv ?? []).join(' '));
  return vars.display(step.manual ?? step.title);
}
