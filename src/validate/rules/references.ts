import { stepLists, type Incident, type Runbook, type Step } from '../../model/runbook.js';
import { BUILTIN_VARIABLES, templateNames } from '../../model/template.js';
import { flattenVars } from '../../resolve/variables.js';
import type { RuleContext } from './context.js';
import { secretFields, stringsIn } from '../../model/walk-strings.js';

/**
 * Every name a step refers to exists when the step runs: template variables (in every
 * environment), captured variables (set by an earlier step), secrets, steps named in `when`,
 * communication templates, and the variable that measures the RPO.
 */
export function references(ctx: RuleContext): void {
  const scope = { ctx, known: environmentVariables(ctx.runbook), secrets: new Set(ctx.runbook.secrets ?? []) };
  ctx.runbook.incidents.forEach((incident, i) => {
    incidentReferences(scope, incident, `/incidents/${i}`);
  });
  escalationReferences(ctx);
  commsReferences(scope);
  checklistReferences(ctx);
}

/**
 * Names in the runbook's channels, mail server, escalation messages and status cadence: filled when a message is
 * sent, at any point of any incident, so a value some step captures counts as known.
 */
function commsReferences(scope: Scope): void {
  const { runbook, report } = scope.ctx;
  const captured = new Set(
    runbook.incidents.flatMap((incident) =>
      stepLists(incident, '').flatMap((l) => l.steps.flatMap((s) => Object.keys(s.capture ?? {}))),
    ),
  );
  const { password: _, ...smtp } = runbook.smtp ?? { password: undefined };
  const texts = {
    channels: runbook.channels,
    smtp,
    escalation: runbook.escalation?.map((l) => ({ message: l.message })),
    status_updates: { message: runbook.status_updates?.message },
  };
  for (const [pointer, text] of stringsIn(texts, ''))
    for (const name of templateNames(text)) {
      const problem = nameProblem(name, scope.known, scope.secrets, captured, new Map());
      if (problem) report(pointer, problem.message, problem.hint);
    }
}

interface Scope {
  ctx: RuleContext;
  known: EnvVariables;
  secrets: Set<string>;
}

/** What one incident's walk can see: names captured so far, steps already run, and the names it uses. */
class IncidentNames {
  readonly capturedBy = new Map<string, string>();
  readonly setSoFar = new Set<string>();
  readonly seenSteps = new Set<string>();

  constructor(
    readonly scope: Scope,
    incident: Incident,
    base: string,
  ) {
    for (const list of stepLists(incident, base))
      for (const step of list.steps)
        for (const name of Object.keys(step.capture ?? {}))
          if (!this.capturedBy.has(name)) this.capturedBy.set(name, step.id);
  }

  checkName(pointer: string, name: string, inPhases: boolean): void {
    const captured = inPhases ? this.setSoFar : new Set(this.capturedBy.keys());
    const problem = nameProblem(name, this.scope.known, this.scope.secrets, captured, this.capturedBy);
    if (problem) this.scope.ctx.report(pointer, problem.message, problem.hint);
  }

  checkStrings(value: unknown, pointer: string, inPhases: boolean): void {
    for (const [p, text] of stringsIn(value, pointer))
      for (const name of templateNames(text)) this.checkName(p, name, inPhases);
  }

  checkSecrets(value: unknown, pointer: string): void {
    for (const [p, text] of secretFields(value, pointer))
      if (!this.scope.secrets.has(text))
        this.scope.ctx.report(
          p,
          `secret "${text}" is not listed under secrets`,
          'add it to the top-level secrets list',
        );
  }
}

function incidentReferences(scope: Scope, incident: Incident, base: string): void {
  const { report } = scope.ctx;
  const names = new IncidentNames(scope, incident, base);
  for (const list of stepLists(incident, base)) {
    const inPhases = list.path.includes('/phases/');
    list.steps.forEach((step, k) => {
      stepReferences(names, incident, step, `${list.path}/${k}`, inPhases);
    });
  }
  names.checkStrings(incident.recovered, `${base}/recovered`, false);
  names.checkStrings(incident.communication, `${base}/communication`, false);
  names.checkStrings(
    incident.escalation?.map((l) => ({ message: l.message })),
    `${base}/escalation`,
    false,
  );
  names.checkStrings({ message: incident.status_updates?.message }, `${base}/status_updates`, false);
  names.checkSecrets(incident.recovered, `${base}/recovered`);
  if (incident.rpo_measure !== undefined && !names.capturedBy.has(incident.rpo_measure)) {
    report(
      `${base}/rpo_measure`,
      `rpo_measure "${incident.rpo_measure}" is not captured by any step of ${incident.id}`,
      'capture it, e.g. capture: { lag_seconds: { field: lag_seconds } }',
    );
  }
  for (const [j, inject] of (incident.tabletop?.injects ?? []).entries()) {
    if (inject.phase !== undefined && !incident.phases.some((p) => p.id === inject.phase))
      report(`${base}/tabletop/injects/${j}/phase`, `unknown phase "${inject.phase}" in inject`);
  }
}

/** One step: its templates, its `when`, its notify template and its secrets; then what it captures is known. */
function stepReferences(names: IncidentNames, incident: Incident, step: Step, sp: string, inPhases: boolean): void {
  const { report } = names.scope.ctx;
  const { capture: _capture, when, ...rest } = step;
  names.checkStrings(rest, sp, inPhases);
  if (when?.var !== undefined) names.checkName(`${sp}/when/var`, when.var, inPhases);
  if (when?.step !== undefined && !names.seenSteps.has(when.step)) {
    report(
      `${sp}/when/step`,
      `step "${when.step}" in when is not an earlier step of ${incident.id}`,
      'when can only look at steps that already ran',
    );
  }
  const template = step.notify?.template;
  if (template !== undefined && !(incident.communication ?? []).some((t) => t.id === template))
    report(`${sp}/notify/template`, `unknown communication template "${template}"`, templateHint(incident));
  names.checkSecrets(step, sp);
  for (const name of Object.keys(step.capture ?? {})) names.setSoFar.add(name);
  names.seenSteps.add(step.id);
}

function escalationReferences({ runbook, report }: RuleContext): void {
  const roles = new Set((runbook.contacts ?? []).map((c) => c.role));
  for (const [j, level] of (runbook.escalation ?? []).entries()) {
    level.contacts.forEach((role, k) => {
      if (!roles.has(role))
        report(
          `/escalation/${j}/contacts/${k}`,
          `escalation names "${role}", who is not in contacts`,
          'use a role from the contacts list',
        );
    });
  }
}

function checklistReferences({ runbook, report }: RuleContext): void {
  const incidentIds = new Set(runbook.incidents.map((inc) => inc.id));
  for (const [j, list] of (runbook.checklists ?? []).entries()) {
    if (list.incident !== undefined && !incidentIds.has(list.incident))
      report(`/checklists/${j}/incident`, `unknown incident "${list.incident}"`);
  }
}

interface Problem {
  message: string;
  hint?: string;
}

function nameProblem(
  name: string,
  env: EnvVariables,
  secrets: Set<string>,
  captured: Set<string>,
  capturedBy: Map<string, string>,
): Problem | undefined {
  if (BUILTIN_VARIABLES.has(name) || captured.has(name)) return undefined;
  if (name.startsWith('secrets.')) {
    return secrets.has(name.slice(8))
      ? undefined
      : {
          message: `secret "${name.slice(8)}" is not listed under secrets`,
          hint: 'add it to the top-level secrets list',
        };
  }
  const later = capturedBy.get(name);
  if (later !== undefined)
    return {
      message: `variable "${name}" is used before step "${later}" captures it`,
      hint: 'move the capturing step earlier or the use later',
    };
  if (env.names.length === 0)
    return {
      message: `unknown variable "${name}"`,
      hint: 'define it under environments.<name>.vars or capture it in an earlier step',
    };
  const missing = env.names.filter((e) => !env.vars.get(e)?.has(name));
  if (missing.length === env.names.length)
    return {
      message: `unknown variable "${name}"`,
      hint: 'define it under environments.<name>.vars or capture it in an earlier step',
    };
  if (missing.length > 0)
    return {
      message: `variable "${name}" is not defined in environment ${missing.join(', ')}`,
      hint: 'every environment must define every variable the runbook uses',
    };
  return undefined;
}

interface EnvVariables {
  names: string[];
  vars: Map<string, Map<string, string>>;
}

function environmentVariables(runbook: Runbook): EnvVariables {
  const names = Object.keys(runbook.environments ?? {});
  return { names, vars: new Map(names.map((n) => [n, flattenVars(runbook.environments?.[n]?.vars)])) };
}

function templateHint(incident: Incident): string {
  const ids = (incident.communication ?? []).map((t) => t.id);
  return ids.length ? `known templates: ${ids.join(', ')}` : `${incident.id} has no communication templates`;
}
