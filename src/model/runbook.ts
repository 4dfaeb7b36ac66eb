/** The runbook as the schema (schemas/runbook.schema.json) admits it. Keys mirror the YAML. */

export type Scalar = string | number | boolean;
export type Matcher =
  | Scalar
  | null
  | {
      eq?: Scalar | null;
      ne?: Scalar | null;
      lt?: number | string;
      le?: number | string;
      gt?: number | string;
      ge?: number | string;
      matches?: string;
      exists?: boolean;
    };
export type Expect = Record<string, Matcher>;
export type Command = string | (string | number)[];

export interface CommandProbe {
  run: Command;
  shell?: boolean;
  env?: Record<string, Scalar>;
  expect?: Expect;
}
export interface HttpProbe {
  url: string;
  method?: string;
  headers?: Record<string, Scalar>;
  body?: string;
  expect?: Expect;
}
export interface TcpProbe {
  host: string;
  port: number | string;
  expect?: Expect;
}
export interface PostgresProbe {
  url?: string;
  host?: string;
  port?: number | string;
  user?: string;
  database?: string;
  password?: string;
  probe?: 'reachable' | 'in_recovery' | 'replication_lag' | 'wal_archiving';
  query?: string;
  expect?: Expect;
}
export interface RedisProbe {
  url?: string;
  host?: string;
  port?: number | string;
  password?: string;
  db?: number;
  probe?: 'ping' | 'role' | 'replication' | 'dbsize' | 'key';
  key?: string;
  expect?: Expect;
}
export interface S3Probe {
  endpoint?: string;
  region?: string;
  bucket: string;
  prefix?: string;
  key?: string;
  access_key?: string;
  secret_key?: string;
  probe?: 'newest' | 'checksum' | 'exists' | 'count' | 'retention';
  retention?: RetentionPolicy;
  expect?: Expect;
}
/** How many days, weeks and months back each must hold a backup (the seeds' policy: 7 / 4 / 12). */
export interface RetentionPolicy {
  daily?: number;
  weekly?: number;
  monthly?: number;
}
export interface FileProbe {
  /** A path or a glob (`*`, `?`, `[abc]`, `{a,b}`, `**`), relative to the folder drillbook runs in. */
  path: string;
  probe?: 'newest' | 'retention';
  max_age?: string;
  /** Bytes, or a size such as `10KB`, `512MB` (1 KB = 1024 bytes). */
  min_size?: number | string;
  checksum?: 'metadata';
  retention?: RetentionPolicy;
  expect?: Expect;
}

export const CHECK_KINDS = ['command', 'http', 'tcp', 'postgres', 'redis', 's3', 'file'] as const;
export type CheckKindName = (typeof CHECK_KINDS)[number];

export interface CheckSpec {
  name?: string;
  timeout?: string;
  command?: CommandProbe;
  http?: HttpProbe;
  tcp?: TcpProbe;
  postgres?: PostgresProbe;
  redis?: RedisProbe;
  s3?: S3Probe;
  file?: FileProbe;
}
export interface WaitSpec extends CheckSpec {
  every: string;
  timeout: string;
}

export interface CaptureRule {
  regex?: string;
  json?: string;
  field?: string;
}
export interface WhenSpec {
  var?: string;
  equals?: Scalar;
  not_equals?: Scalar;
  matches?: string;
  step?: string;
  status?: string[];
}
export interface NotifySpec {
  template?: string;
  message?: string;
  channel?: string;
  webhook?: string;
  /** Channels (top-level `channels`) the message is sent to. */
  to?: string[];
}

/** Where notifications go: a webhook, or email through the runbook's smtp server. */
export interface Channel {
  webhook?: string;
  email?: { to: string[]; subject?: string; from?: string };
  timeout?: string;
}
export interface SmtpServer {
  host: string;
  port?: number | string;
  secure?: boolean;
  user?: string;
  /** The name of the secret holding the password. */
  password?: string;
  from: string;
  timeout?: string;
}
export interface EscalationLevel {
  level: number;
  after?: string;
  when?: string;
  contacts: string[];
  /** What the responder does at this level, one line. */
  action?: string;
  /** Channels that receive a message when the level fires. */
  notify?: string[];
  message?: string;
}
/** A status-update cadence: a reminder (interactive) or a message sent (auto) every `every`. */
export interface StatusUpdates {
  every: string;
  template?: string;
  message?: string;
  notify?: string[];
}

export interface ApprovalSpec {
  timeout: string;
  approvers?: string[];
  note?: string;
}

export type FailurePolicy = 'abort' | 'continue' | 'rollback';
export const STEP_KINDS = ['run', 'check', 'wait', 'manual', 'notify'] as const;
export type StepKind = (typeof STEP_KINDS)[number];

export interface Step {
  id: string;
  title: string;
  why?: string;
  expected?: string;
  run?: Command;
  check?: CheckSpec;
  wait?: WaitSpec;
  manual?: string;
  notify?: NotifySpec;
  shell?: boolean;
  cwd?: string;
  env?: Record<string, Scalar>;
  verify?: CheckSpec[];
  estimate?: string;
  timeout?: string;
  retries?: number;
  delay?: string;
  when?: WhenSpec;
  capture?: Record<string, CaptureRule>;
  confirm?: boolean;
  /** Two-person approval before the step runs (docs/runbook-format.md). */
  approval?: ApprovalSpec;
  on_failure?: FailurePolicy;
  record?: string[];
}

export interface Phase {
  id: string;
  title: string;
  budget: string;
  /** Outside the RTO clock: timed against its own budget only (src/plan/rto-clock.ts). */
  outside_rto?: boolean;
  description?: string;
  success?: string[];
  questions?: string[];
  steps: Step[];
}

export interface Template {
  id: string;
  title?: string;
  audience?: string;
  channel?: string;
  text: string;
}
export interface Role {
  role: string;
  responsibilities: string[];
}

export interface Tabletop {
  scenario?: string;
  objectives?: string[];
  participants?: Role[];
  duration?: string;
  injects?: { at: string; phase?: string; text: string }[];
  questions?: string[];
}

export interface Incident {
  id: string;
  title: string;
  type?: 'incident' | 'drill' | 'test' | 'tabletop';
  severity: 'critical' | 'high' | 'medium' | 'low';
  description?: string;
  tier?: string;
  rto: string;
  rpo?: string;
  rpo_measure?: string;
  schedule?: { cadence?: string; cron?: string; note?: string };
  triggers: string[];
  prerequisites?: string[];
  success_criteria?: string[];
  metrics?: { name: string; unit?: string; target?: string }[];
  recovered: CheckSpec[];
  phases: Phase[];
  rollback?: Step[];
  always?: Step[];
  cleanup?: Step[];
  communication?: Template[];
  /** This incident's escalation levels, instead of the runbook's. */
  escalation?: EscalationLevel[];
  status_updates?: StatusUpdates;
  tabletop?: Tabletop;
}

export type ChecklistItem = string | { item: string; record?: string; unit?: string };
export interface Checklist {
  id: string;
  title: string;
  stage: string;
  cadence?: string;
  incident?: string;
  items: ChecklistItem[];
}

export interface VarTree {
  [name: string]: Scalar | VarTree;
}

export interface Runbook {
  apiVersion: 'drillbook/v1';
  metadata: {
    name: string;
    title: string;
    version: string;
    owner: string;
    review?: string;
    last_reviewed?: string;
    description?: string;
    sources?: string[];
  };
  objectives: {
    rto: string;
    rpo: string;
    mttr?: string;
    rto_definition?: string;
    rpo_definition?: string;
    targets?: { name: string; rto?: string; rpo?: string; note?: string }[];
  };
  contacts?: { role: string; name?: string; phone?: string; email?: string; chat?: string; on_call?: boolean }[];
  escalation?: EscalationLevel[];
  status_updates?: StatusUpdates;
  channels?: Record<string, Channel>;
  smtp?: SmtpServer;
  roles?: Role[];
  service_tiers?: { tier: string; name?: string; services?: string[]; max_downtime: string }[];
  backups?: {
    schedule?: string[];
    locations?: string[];
    naming?: string[];
    metadata_example?: Record<string, unknown>;
    retention?: { kind: string; keep: string }[];
  };
  environments?: Record<string, { description?: string; vars?: VarTree }>;
  secrets?: string[];
  incidents: Incident[];
  checklists?: Checklist[];
}

export function stepKind(step: Step): StepKind {
  for (const kind of STEP_KINDS) if (step[kind] !== undefined) return kind;
  throw new Error(`step ${step.id} has no kind`);
}

export function checkKind(check: CheckSpec): CheckKindName {
  for (const kind of CHECK_KINDS) if (check[kind] !== undefined) return kind;
  throw new Error('check has no kind');
}

/** Every step list of an incident, in walk order, with the JSON path of each list. */
export function stepLists(
  incident: Incident,
  incidentPath: string,
): { section: string; path: string; steps: Step[] }[] {
  const lists = incident.phases.map((phase, i) => ({
    section: phase.id,
    path: `${incidentPath}/phases/${i}/steps`,
    steps: phase.steps,
  }));
  for (const section of ['rollback', 'always', 'cleanup'] as const) {
    const steps = incident[section];
    if (steps) lists.push({ section, path: `${incidentPath}/${section}`, steps });
  }
  return lists;
}
