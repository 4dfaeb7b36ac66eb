import type {
  CaptureRule,
  Channel,
  CheckSpec,
  FailurePolicy,
  SmtpServer,
  StepKind,
  WhenSpec,
} from '../model/runbook.js';

/** The Plan: one incident as plain, serialisable data. `drillbook plan --json` prints it; run walks it. */
export interface Plan {
  planVersion: 1;
  runbook: { file: string; name: string; title: string; version: string; sha256: string };
  environment: string;
  incident: {
    id: string;
    title: string;
    severity: string;
    type: string;
    rto: string;
    rtoMs: number;
    rpo: string | null;
    rpoMs: number | null;
    rpoMeasure: string | null;
    triggers: string[];
  };
  /** Environment variables as steps will see them; secret values never appear here. */
  variables: Record<string, string>;
  secrets: string[];
  phases: PlanPhase[];
  rollback: PlanStep[];
  always: PlanStep[];
  cleanup: PlanStep[];
  recovered: CheckSpec[];
  communication: { id: string; title?: string; channel?: string; text: string }[];
  /** Escalation levels and the status cadence that the run's clock fires, and the channels the run sends to. */
  comms: PlanComms;
}

export interface PlanComms {
  escalation: PlanEscalationLevel[];
  statusUpdates: PlanStatusUpdates | null;
  /** The channels this incident names (steps, levels, cadence), as written: templates are filled when used. */
  channels: Record<string, Channel>;
  smtp: SmtpServer | null;
}

export interface PlanEscalationLevel {
  level: number;
  /** When the run's clock fires it; null: a level reached by decision (no `after`), never fired by the clock. */
  afterMs: number | null;
  after?: string;
  when?: string;
  contacts: string[];
  action?: string;
  notify: string[];
  message?: string;
}

export interface PlanStatusUpdates {
  every: string;
  everyMs: number;
  template?: string;
  text: string;
  notify: string[];
}

export interface PlanPhase {
  id: string;
  title: string;
  budget: string;
  budgetMs: number;
  /** Outside the RTO clock (`outside_rto: true`): its budget is checked on its own; its time is not in the time to recover. */
  outsideRto: boolean;
  steps: PlanStep[];
}

export type PlanSection = 'phase' | 'rollback' | 'always' | 'cleanup';

export interface PlanApproval {
  timeout: string;
  timeoutMs: number;
  /** Empty: anyone but the starter may decide. */
  approvers: string[];
  note?: string;
}

export interface PlanStep {
  id: string;
  title: string;
  kind: StepKind;
  section: PlanSection;
  phase: string | null;
  why?: string;
  expected?: string;
  command?: { argv?: string[]; script?: string; shell: boolean; cwd?: string; env: Record<string, string> };
  check?: CheckSpec;
  wait?: CheckSpec & { every: string; everyMs: number; timeoutMs: number };
  manual?: string;
  notify?: { template?: string; text: string; channel?: string; webhook?: string; to?: string[] };
  verify: CheckSpec[];
  estimateMs: number;
  timeoutMs: number | null;
  retries: number;
  delayMs: number;
  when?: WhenSpec;
  capture?: Record<string, CaptureRule>;
  confirm: boolean;
  /** Someone other than the run's starter must grant this step before it runs. */
  approval?: PlanApproval;
  onFailure: FailurePolicy;
  record?: string[];
}
