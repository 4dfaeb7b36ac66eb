import { createHash } from 'node:crypto';
import { durationMs } from '../model/duration.js';
import { UsageError } from '../model/errors.js';
import { stepKind, type Incident, type Runbook, type Step } from '../model/runbook.js';
import { renderTemplate } from '../model/template.js';
import type { ResolvedEnvironment } from '../resolve/resolve-environment.js';
import type { Plan, PlanSection, PlanStep } from './plan-types.js';

/** Estimates for steps that give none: a projected timeline needs a number for every step. */
const DEFAULT_ESTIMATE_MS: Record<string, number> = { run: 30_000, check: 5_000, wait: 60_000, manual: 120_000, notify: 30_000 };

export interface PlanInput {
  runbook: Runbook;
  file: string;
  text: string;
  incidentId: string;
  environment: ResolvedEnvironment;
}

/** Builds the Plan for one incident: environment variables resolved, run-time values left as {{ }}. */
export function buildPlan({ runbook, file, text, incidentId, environment }: PlanInput): Plan {
  const incident = runbook.incidents.find((inc) => inc.id === incidentId);
  if (!incident) {
    throw new UsageError(`unknown incident "${incidentId}"; this runbook has: ${runbook.incidents.map((i) => i.id).join(', ')}`);
  }
  const rpo = incident.rpo ?? runbook.objectives.rpo;
  const fixed = new Map<string, string>([
    ...environment.vars,
    ['incident.id', incident.id],
    ['incident.title', incident.title],
    ['incident.severity', incident.severity],
    ['incident.rto', incident.rto],
    ['incident.rpo', rpo],
    ['env.name', environment.name],
  ]);
  const resolve = <T>(value: T): T => deepRender(value, (name) => fixed.get(name));
  const templates = new Map((incident.communication ?? []).map((t) => [t.id, t.text]));
  const step = (s: Step, section: PlanSection, phase: string | null) => planStep(s, section, phase, { resolve, templates });
  return {
    planVersion: 1,
    runbook: { file, name: runbook.metadata.name, title: runbook.metadata.title, version: runbook.metadata.version, sha256: createHash('sha256').update(text).digest('hex') },
    environment: environment.name,
    incident: {
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
    },
    variables: Object.fromEntries(environment.vars),
    secrets: runbook.secrets ?? [],
    phases: incident.phases.map((p) => ({ id: p.id, title: p.title, budget: p.budget, budgetMs: durationMs(p.budget), outsideRto: p.outside_rto === true, steps: p.steps.map((s) => step(s, 'phase', p.id)) })),
    rollback: (incident.rollback ?? []).map((s) => step(s, 'rollback', null)),
    always: (incident.always ?? []).map((s) => step(s, 'always', null)),
    cleanup: (incident.cleanup ?? []).map((s) => step(s, 'cleanup', null)),
    recovered: resolve(incident.recovered),
    communication: communication(incident),
  };
}

interface StepContext {
  resolve: <T>(v: T) => T;
  templates: Map<string, string>;
}

function planStep(s: Step, section: PlanSection, phase: string | null, { resolve, templates }: StepContext): PlanStep {
  const kind = stepKind(s);
  const out: PlanStep = {
    id: s.id,
    title: s.title,
    kind,
    section,
    phase,
    verify: resolve(s.verify ?? []),
    estimateMs: s.estimate ? durationMs(s.estimate) : (DEFAULT_ESTIMATE_MS[kind] ?? 30_000),
    timeoutMs: s.timeout ? durationMs(s.timeout) : null,
    retries: s.retries ?? 0,
    delayMs: s.delay ? durationMs(s.delay) : 0,
    confirm: s.confirm === true,
    onFailure: s.on_failure ?? 'abort',
  };
  if (s.why) out.why = s.why;
  if (s.expected) out.expected = resolve(s.expected);
  if (s.when) out.when = s.when;
  if (s.capture) out.capture = s.capture;
  if (s.record) out.record = s.record;
  if (s.run !== undefined) {
    const env = resolve(Object.fromEntries(Object.entries(s.env ?? {}).map(([k, v]) => [k, String(v)])));
    const cwd = s.cwd === undefined ? undefined : resolve(s.cwd);
    if (typeof s.run === 'string') {
      // A shell script sees the runbook's variables as environment variables (exported when it
      // runs, captured values included), never spliced into its text.
      out.command = { script: s.run, shell: true, env, ...(cwd ? { cwd } : {}) };
    } else {
      out.command = { argv: resolve(s.run.map(String)), shell: false, env, ...(cwd ? { cwd } : {}) };
    }
  }
  if (s.check) out.check = resolve(s.check);
  if (s.wait) out.wait = { ...resolve(s.wait), everyMs: durationMs(s.wait.every), timeoutMs: durationMs(s.wait.timeout) };
  if (s.manual !== undefined) out.manual = resolve(s.manual);
  if (s.notify) {
    // Run-time values ({{ elapsed }}, {{ eta }}) stay as written until the notification is sent.
    const text = s.notify.message ?? templates.get(s.notify.template ?? '') ?? '';
    out.notify = { ...s.notify, text: resolve(text) };
  }
  return out;
}

function communication(incident: Incident): Plan['communication'] {
  return (incident.communication ?? []).map((t) => ({ id: t.id, text: t.text, ...(t.title ? { title: t.title } : {}), ...(t.channel ? { channel: t.channel } : {}) }));
}

function deepRender<T>(value: T, lookup: (name: string) => string | undefined): T {
  if (typeof value === 'string') return renderTemplate(value, lookup) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => deepRender(v, lookup)) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, deepRender(v, lookup)])) as T;
  }
  return value;
}
