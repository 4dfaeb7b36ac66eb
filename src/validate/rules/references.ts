import { stepLists, type Incident, type Runbook } from '../../model/runbook.js';
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
  const { runbook, report } = ctx;
  const known = environmentVariables(runbook);
  const secrets = new Set(runbook.secrets ?? []);
  runbook.incidents.forEach((incident, i) => {
    const base = `/incidents/${i}`;
    const capturedBy = new Map<string, string>();
    for (const list of stepLists(incident, base)) {
      for (const step of list.steps)
        for (const name of Object.keys(step.capture ?? {})) if (!capturedBy.has(name)) capturedBy.set(name, step.id);
    }
    const setSoFar = new Set<string>();
    const seenSteps = new Set<string>();
    const checkName = (pointer: string, name: string, inPhases: boolean) => {
      const problem = nameProblem(name, known, secrets, inPhases ? setSoFar : new Set(capturedBy.keys()), capturedBy);
      if (problem) report(pointer, problem.message, problem.hint);
    };
    const checkStrings = (value: unknown, pointer: string, inPhases: boolean) => {
      for (const [p, text] of stringsIn(value, pointer))
        for (const name of templateNames(text)) checkName(p, name, inPhases);
    };
    for (const list of stepLists(incident, base)) {
      const inPhases = list.path.includes('/phases/');
      list.steps.forEach((step, k) => {
        const sp = `${list.path}/${k}`;
        const { capture: _capture, when, ...rest } = step;
        checkStrings(rest, sp, inPhases);
        if (when?.var !== undefined) checkName(`${sp}/when/var`, when.var, inPhases);
        if (when?.step !== undefined && !seenSteps.has(when.step)) {
          report(
            `${sp}/when/step`,
            `step "${when.step}" in when is not an earlier step of ${incident.id}`,
            'when can only look at steps that already ran',
          );
        }
        if (
          step.notify?.template !== undefined &&
          !(incident.communication ?? []).some((t) => t.id === step.notify?.template)
        ) {
          report(
            `${sp}/notify/template`,
            `unknown communication template "${step.notify.template}"`,
            templateHint(incident),
          );
        }
        for (const [p, text] of secretFields(step, sp))
          if (!secrets.has(text))
            report(p, `secret "${text}" is not listed under secrets`, 'add it to the top-level secrets list');
        for (const name of Object.keys(step.capture ?? {})) setSoFar.add(name);
        seenSteps.add(step.id);
      });
    }
    checkStrings(incident.recovered, `${base}/recovered`, false);
    checkStrings(incident.communication, `${base}/communication`, false);
    for (const [p, text] of secretFields(incident.recovered, `${base}/recovered`))
      if (!secrets.has(text))
        report(p, `secret "${text}" is not listed under secrets`, 'add it to the top-level secrets list');
    if (incident.rpo_measure !== undefined && !capturedBy.has(incident.rpo_measure)) {
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
  });
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
