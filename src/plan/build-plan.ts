import { textSha256 } from '../model/text-hash.js';
import { durationMs } from '../model/duration.js';
import { UsageError } from '../model/errors.js';
import { stepKind, type Incident, type Runbook, type Step } from '../model/runbook.js';
import type { ResolvedEnvironment } from '../resolve/resolve-environment.js';
import { planComms } from './plan-comms.js';
import type { Plan, PlanSection, PlanStep } from './plan-types.js';

/** Estimates for steps that give none: a projected timeline needs a number for every step. */
const DEFAULT_ESTIMATE_MS: Record<string, number> = {
  run: 30_000,
  check: 5_000,
  wait: 60_000,
  manual: 120_000,
  notify: 30_000,
};

export interface PlanInput {
  runbook: Runbook;
  file: string;
  text: string;
  incidentId: string;
  environment: ResolvedEnvironment;
}

/**
 * Builds the Plan for one incident. Templates stay as written: the run fills each one once, when
 * it is used, from one source (src/execute/variables.ts), so a value is never rendered twice.
 * Documents show the plan with its known values filled (fill-known-values.ts).
 */
export function buildPlan({ runbook, file, text, incidentId, environment }: PlanInput): Plan {
  const incident = findIncident(runbook, incidentId);
  const templates = new Map((incident.communication ?? []).map((t) => [t.id, t.text]));
  const step = (s: Step, section: PlanSection, phase: string | null) => planStep(s, section, phase, templates);
  const phases = incident.phases.map((p) => ({
    id: p.id,
    title: p.title,
    budget: p.budget,
    budgetMs: durationMs(p.budget),
    outsideRto: p.outside_rto === true,
    steps: p.steps.map((s) => step(s, 'phase', p.id)),
  }));
  const rollback = (incident.rollback ?? []).map((s) => step(s, 'rollback', null));
  const always = (incident.always ?? []).map((s) => step(s, 'always', null));
  const cleanup = (incident.cleanup ?? []).map((s) => step(s, 'cleanup', null));
  const allSteps = [...phases.flatMap((p) => p.steps), ...rollback, ...always, ...cleanup];
  return {
    planVersion: 1,
    runbook: {
      file,
      name: runbook.metadata.name,
      title: runbook.metadata.title,
      version: runbook.metadata.version,
      sha256: textSha256(text),
    },
    environment: environment.name,
    incident: planIncident(runbook, incident),
    variables: Object.fromEntries(environment.vars),
    secrets: runbook.secrets ?? [],
    phases,
    rollback,
    always,
    cleanup,
    recovered: incident.recovered,
    communication: communication(incident),
    comms: planComms(runbook, incident, allSteps),
  };
}

function findIncident(runbook: Runbook, incidentId: string): Incident {
  const incident = runbook.incidents.find((inc) => inc.id === incidentId);
  if (!incident) {
    throw new UsageError(
      `unknown incident "${incidentId}"; this runbook has: ${runbook.incidents.map((i) => i.id).join(', ')}`,
    );
  }
  return incident;
}

/** The incident's identity and objectives, with its durations in milliseconds; an RPO of `none` is null. */
function planIncident(runbook: Runbook, incident: Incident): Plan['incident'] {
  const rpo = incident.rpo ?? runbook.objectives.rpo;
  return {
    id: incident.id,
    title: incident.title,
    severity: incident.severity,
    type: incident.type ?? 'incident',
    rto: incident.rto,
    rtoMs: durationMs(incident.rto),
    rpo: rpo === 'none' ? null : rpo,
    rpoMs: rpo === 'none' ? null : durationMs(rpo),
    rpoMeasure: incident.rpo_measure ?? null,
    triggers: incident.triggers,
  };
}

function planStep(s: Step, section: PlanSection, phase: string | null, templates: Map<string, string>): PlanStep {
  const kind = stepKind(s);
  const out: PlanStep = {
    id: s.id,
    title: s.title,
    kind,
    section,
    phase,
    verify: s.verify ?? [],
    estimateMs: s.estimate ? durationMs(s.estimate) : (DEFAULT_ESTIMATE_MS[kind] ?? 30_000),
    timeoutMs: s.timeout ? durationMs(s.timeout) : null,
    retries: s.retries ?? 0,
    delayMs: s.delay ? durationMs(s.delay) : 0,
    confirm: s.confirm === true,
    onFailure: s.on_failure ?? 'abort',
  };
  if (s.why) out.why = s.why;
  if (s.expected) out.expected = s.expected;
  if (s.when) out.when = s.when;
  if (s.capture) out.capture = s.capture;
  if (s.record) out.record = s.record;
  if (s.approval)
    out.approval = {
      timeout: s.approval.timeout,
      timeoutMs: durationMs(s.approval.timeout),
      approvers: s.approval.approvers ?? [],
      ...(s.approval.note !== undefined ? { note: s.approval.note } : {}),
    };
  if (s.run !== undefined) {
    const env = Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, String(v)]));
    const cwd = s.cwd;
    if (typeof s.run === 'string') {
      // A shell script sees the runbook's variables as environment variables (exported when it
      // runs, captured values included), never spliced into its text.
      out.command = { script: s.run, shell: true, env, ...(cwd ? { cwd } : {}) };
    } else {
      out.command = { argv: s.run.map(String), shell: false, env, ...(cwd ? { cwd } : {}) };
    }
  }
  if (s.check) out.check = s.check;
  if (s.wait) out.wait = { ...s.wait, everyMs: durationMs(s.wait.every), timeoutMs: durationMs(s.wait.timeout) };
  if (s.manual !== undefined) out.manual = s.manual;
  if (s.notify) {
    const text = s.notify.message ?? templates.get(s.notify.template ?? '') ?? '';
    out.notify = { ...s.notify, text };
  }
  return out;
}

function communication(incident: Incident): Plan['communication'] {
  return (incident.communication ?? []).map((t) => ({
    id: t.id,
    text: t.text,
    ...(t.title ? { title: t.title } : {}),
    ...(t.channel ? { channel: t.channel } : {}),
  }));
}
