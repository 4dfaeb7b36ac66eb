import type { PlanStep, Plan } from '../plan/plan-types.js';
import { BUILTIN_VARIABLES, templateNames } from '../model/template.js';
import { planSteps } from '../plan/plan-sections.js';
import { secretFields, stringsIn } from '../model/walk-strings.js';
import type { Mode } from './mode-policy.js';
import type { RunVariables } from './variables.js';
import { whenHolds } from './when.js';

export interface PreflightInput {
  plan: Plan;
  mode: Mode;
  /** --yes: auto mode approves gates and records manual steps as done. */
  yes: boolean;
  vars: RunVariables;
  /** Phase steps this run will not walk: skipped by --from, or finished before a resume. */
  notWalked: ReadonlySet<string>;
  processEnv?: NodeJS.ProcessEnv;
}

/**
 * What can be known before the first step runs, checked before it runs: every secret the walk uses
 * is set, every captured value a step needs will exist, and auto mode without --yes meets no step
 * that needs a person. Returns one line per kind of problem; empty when the run may start.
 */
export function preflight(input: PreflightInput): string[] {
  const steps = walkedSteps(input.plan, input.notWalked);
  return [
    ...(input.plan && input.mode !== 'simulate' ? missingSecrets(input, steps) : []),
    ...(input.mode !== 'simulate' ? missingCaptures(input, steps) : []),
    ...(input.mode === 'auto' && !input.yes ? gates(input, steps) : []),
  ];
}

/** The steps a run may walk, in walk order, less the phase steps it will not walk. */
function walkedSteps(plan: Plan, notWalked: ReadonlySet<string>): PlanStep[] {
  return planSteps(plan).filter((s) => s.section !== 'phase' || !notWalked.has(s.id));
}

/** Template names a step uses anywhere: command, env, check and wait fields, texts, capture rules, when. */
function namesUsed(step: PlanStep): string[] {
  const { when, ...rest } = step;
  const names = [...stringsIn(rest, '')].flatMap(([, text]) => templateNames(text));
  if (when?.var !== undefined) names.push(when.var);
  return names;
}

function missingSecrets({ plan, processEnv = process.env }: PreflightInput, steps: PlanStep[]): string[] {
  const users = new Map<string, string[]>();
  const need = (secret: string, user: string) => {
    // Exported but empty is a deliberate value (a lab service with no password); only an unset secret is missing.
    if (!plan.secrets.includes(secret) || processEnv[secret] !== undefined) return;
    users.set(secret, [...(users.get(secret) ?? []), user]);
  };
  for (const step of steps) {
    for (const name of namesUsed(step))
      if (name.startsWith('secrets.')) need(name.slice('secrets.'.length), `step ${step.id}`);
    for (const [, secret] of secretFields(step, '')) need(secret, `step ${step.id}`);
  }
  for (const [, secret] of secretFields(plan.recovered, '')) need(secret, 'the recovered condition');
  // The channels escalation levels, status updates and notify steps send to: a webhook URL, the SMTP password.
  for (const [name, channel] of Object.entries(plan.comms.channels))
    for (const [, text] of stringsIn(channel, ''))
      for (const used of templateNames(text))
        if (used.startsWith('secrets.')) need(used.slice('secrets.'.length), `channel ${name}`);
  if (plan.comms.smtp?.password !== undefined) need(plan.comms.smtp.password, 'the smtp server');
  const timed = { escalation: plan.comms.escalation, status_updates: plan.comms.statusUpdates };
  for (const [pointer, text] of stringsIn(timed, ''))
    for (const used of templateNames(text))
      if (used.startsWith('secrets.')) need(used.slice('secrets.'.length), pointer.split('/')[1] ?? 'communications');
  for (const [, text] of stringsIn(plan.recovered, ''))
    for (const name of templateNames(text))
      if (name.startsWith('secrets.')) need(name.slice(8), 'the recovered condition');
  if (users.size === 0) return [];
  const list = [...users].map(([secret, by]) => `${secret} (${[...new Set(by)].join(', ')})`).join(', ');
  return [
    `secret${users.size > 1 ? 's' : ''} not set in the environment: ${list}; export ${users.size > 1 ? 'them' : 'it'} before the run`,
  ];
}

/** A value captured by a step this run does not walk (--from, resume) must be known already: from the journal or --var. */
function missingCaptures({ plan, vars, notWalked }: PreflightInput, steps: PlanStep[]): string[] {
  const capturedBy = new Map<string, string>();
  for (const step of planSteps(plan)) {
    for (const name of Object.keys(step.capture ?? {})) if (!capturedBy.has(name)) capturedBy.set(name, step.id);
  }
  const problems = new Map<string, string>();
  for (const step of steps) {
    for (const name of namesUsed(step)) {
      const by = capturedBy.get(name);
      if (
        by === undefined ||
        BUILTIN_VARIABLES.has(name) ||
        vars.get(name) !== undefined ||
        !notWalked.has(by) ||
        problems.has(name)
      )
        continue;
      problems.set(
        name,
        `step "${step.id}" needs "${name}", which step "${by}" captures but this run does not walk it; give the value with --var ${name}=VALUE`,
      );
    }
  }
  return [...problems.values()];
}

/** Auto mode never stops half-way for a person: without --yes, the steps that need one are refused up front. */
function gates({ vars }: PreflightInput, steps: PlanStep[]): string[] {
  const needPerson = steps
    .filter(
      (s) =>
        (s.kind === 'manual' || s.confirm) && (s.when === undefined || whenHolds(s.when, vars, new Map()) !== false),
    )
    .map(
      (s) =>
        `${s.id} (${s.kind === 'manual' ? 'manual action' : 'destructive, needs confirmation'}${s.section === 'phase' ? '' : `, ${s.section}`})`,
    );
  if (needPerson.length === 0) return [];
  return [
    `auto mode without --yes stops for no one, and ${needPerson.length} step${needPerson.length > 1 ? 's need' : ' needs'} a person: ${needPerson.join(', ')}; re-run with --yes to approve them (each approval is journaled), or use --mode interactive`,
  ];
}
