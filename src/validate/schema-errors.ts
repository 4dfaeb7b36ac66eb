import type { ErrorObject } from 'ajv';

/** What one ajv error means to a runbook author, and where it should point. */
export interface SchemaProblem {
  pointer: string;
  key?: string;
  message: string;
  hint?: string;
}

const ONE_OF_HINTS: Record<string, string> = {
  step: 'a step has exactly one of run, check, wait, manual, notify',
  check: 'a check has exactly one of command, http, tcp, postgres, redis, s3, file',
  wait: 'a wait has exactly one of command, http, tcp, postgres, redis, s3, file (plus every and timeout)',
  notify: 'notify has either template (a communication id) or message',
  when: 'when is either {var, equals|not_equals|matches} or {step, status}',
};

/**
 * Turns ajv's raw errors into one problem per real mistake. Errors raised inside the branches of
 * a oneOf/anyOf are noise (each branch reports its own failure), so only the summary is kept.
 */
export function schemaProblems(errors: ErrorObject[]): SchemaProblem[] {
  const problems: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors) {
    if (/\/(oneOf|anyOf)\/\d+\//.test(e.schemaPath)) continue;
    // An if/then rule reports its failed `then` twice: as the real error and as "must match then".
    if (e.keyword === 'if') continue;
    const problem = describe(e);
    const id = `${problem.pointer}|${problem.key ?? ''}|${problem.message}`;
    if (seen.has(id)) continue;
    seen.add(id);
    problems.push(problem);
  }
  return problems;
}

function describe(e: ErrorObject): SchemaProblem {
  const where = e.instancePath;
  const name = lastSegment(where);
  switch (e.keyword) {
    case 'required': {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { pointer: where, message: `missing required key "${missing}"${name ? ` in ${name}` : ''}` };
    }
    case 'additionalProperties': {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      const hint = 'check the spelling against docs/runbook-format.md';
      return { pointer: where, key: extra, message: `unknown key "${extra}"`, hint };
    }
    case 'oneOf':
    case 'anyOf':
      return oneOfProblem(where, name);
    case 'dependentRequired': {
      const p = e.params as { property: string; missingProperty: string };
      const message = `"${p.property}" only applies to a step with "${p.missingProperty}"`;
      return { pointer: where, key: p.property, message };
    }
    default:
      return { pointer: where, message: valueMessage(e, where, name) };
  }
}

const ONE_OF_MESSAGES: Record<string, string> = {
  rpo: 'rpo must be a duration such as 5m, or "none"',
  port: 'port must be an integer 1-65535 or a {{ template }}',
  command: 'command must be an argument list or a non-empty string',
  matcher: 'an expectation is a value or {eq|ne|lt|le|gt|ge|matches|exists}',
  checklistItem: 'a checklist item is text or {item, record?, unit?}',
  size: 'min_size must be a number of bytes or a size such as 10KB, 512MB or 2GB',
};

/** A value that matches none of a oneOf's forms: say which forms the definition allows. */
function oneOfProblem(where: string, name: string): SchemaProblem {
  const def = definitionOf(where);
  const known = def ? ONE_OF_MESSAGES[def] : undefined;
  if (known) return { pointer: where, message: known };
  const hint = def ? ONE_OF_HINTS[def] : undefined;
  if (hint) return { pointer: where, message: hint, hint: 'see docs/runbook-format.md' };
  return { pointer: where, message: `${name || 'value'} does not match any allowed form` };
}

/** The message for a value of the wrong shape: a pattern, an enum, a constant, a type, a list too short. */
function valueMessage(e: ErrorObject, where: string, name: string): string {
  const params = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'pattern':
      return `${name || 'value'} ${patternMessage(definitionOf(where) ?? '', String(params['pattern']))}`;
    case 'enum':
      return `${name || 'value'} must be one of: ${(params['allowedValues'] as unknown[]).join(', ')}`;
    case 'const':
      return `${name || 'value'} must be ${JSON.stringify(params['allowedValue'])}`;
    case 'type':
      return `${name || 'value'} must be ${String(params['type']).replace(/,/g, ' or ')}`;
    case 'minItems':
      return `${name || 'list'} must have at least ${String(params['limit'])} item(s)`;
    case 'false schema':
      return name === 'retention'
        ? 'retention (a policy) applies only to probe: retention'
        : `${name} does not apply to probe: retention (it counts backups, it does not judge one)`;
    default:
      return `${name || 'value'} ${e.message ?? 'is invalid'}`;
  }
}

function lastSegment(pointer: string): string {
  const parts = pointer.split('/');
  const last = parts[parts.length - 1] ?? '';
  return /^\d+$/.test(last) ? `${parts[parts.length - 2] ?? ''}[${last}]` : last;
}

/**
 * Which definition of the schema a value belongs to, judged from where it sits in the document
 * (ajv reports schema paths relative to each $ref target, which loses the definition's name).
 */
function definitionOf(pointer: string): string | undefined {
  const shapes: [RegExp, string][] = [
    [/\/(steps|rollback|always|cleanup)\/\d+$/, 'step'],
    [/\/(recovered|verify)\/\d+$|\/check$/, 'check'],
    [/\/wait$/, 'wait'],
    [/\/notify$/, 'notify'],
    [/\/when$/, 'when'],
    [/\/rpo$/, 'rpo'],
    [/\/port$/, 'port'],
    [/\/min_size$/, 'size'],
    [/\/run$/, 'command'],
    [/\/expect\/[^/]+$/, 'matcher'],
    [/^\/checklists\/\d+\/items\/\d+$/, 'checklistItem'],
    [/\/(budget|estimate|timeout|delay|every|at|mttr|max_downtime|after|duration|rto|max_age)$/, 'duration'],
    [/\/(steps|rollback|always|cleanup)\/\d+\/id$|\/phases\/\d+\/id$|\/when\/step$|\/injects\/\d+\/phase$/, 'stepId'],
    [/^\/incidents\/\d+\/id$|^\/checklists\/\d+\/incident$/, 'incidentId'],
    [/\/(password|access_key|secret_key)$|^\/secrets\/\d+$/, 'secretRef'],
    [/\/capture\/[^/]+$|\/rpo_measure$/, 'varName'],
    [/\/(name|template)$|\/communication\/\d+\/id$|^\/checklists\/\d+\/id$/, 'slug'],
  ];
  return shapes.find(([re]) => re.test(pointer))?.[1];
}

function patternMessage(def: string, pattern: string): string {
  switch (def) {
    case 'duration':
      return 'must be a duration such as 90s, 5m or 1h30m';
    case 'stepId':
      return 'must be lowercase letters, digits and dashes (e.g. promote-replica)';
    case 'incidentId':
      return 'must look like INC-001 (capital letters, a dash, three digits)';
    case 'slug':
      return 'must be lowercase letters, digits, dashes or underscores';
    case 'varName':
      return 'must be a lowercase identifier (letters, digits, underscores)';
    case 'secretRef':
      return 'must name a secret in upper case (e.g. DB_PASSWORD)';
    default:
      return `must match ${pattern}`;
  }
}
