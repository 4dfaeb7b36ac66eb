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
  check: 'a check has exactly one of command, http, tcp, postgres, redis, s3',
  wait: 'a wait has exactly one of command, http, tcp, postgres, redis, s3 (plus every and timeout)',
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
      return {
        pointer: where,
        key: extra,
        message: `unknown key "${extra}"`,
        hint: 'check the spelling against docs/runbook-format.md',
      };
    }
    case 'oneOf':
    case 'anyOf': {
      const def = definitionOf(where);
      if (def === 'rpo') return { pointer: where, message: 'rpo must be a duration such as 5m, or "none"' };
      if (def === 'port') return { pointer: where, message: 'port must be an integer 1-65535 or a {{ template }}' };
      if (def === 'command')
        return { pointer: where, message: 'command must be an argument list or a non-empty string' };
      if (def === 'matcher')
        return { pointer: where, message: 'an expectation is a value or {eq|ne|lt|le|gt|ge|matches|exists}' };
      if (def === 'checklistItem')
        return { pointer: where, message: 'a checklist item is text or {item, record?, unit?}' };
      const hint = def ? ONE_OF_HINTS[def] : undefined;
      return {
        pointer: where,
        message: hint ?? `${name || 'value'} does not match any allowed form`,
        ...(hint ? { hint: 'see docs/runbook-format.md' } : {}),
      };
    }
    case 'pattern': {
      const def = definitionOf(where) ?? '';
      return {
        pointer: where,
        message: `${name || 'value'} ${patternMessage(def, (e.params as { pattern: string }).pattern)}`,
      };
    }
    case 'enum':
      return {
        pointer: where,
        message: `${name || 'value'} must be one of: ${(e.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`,
      };
    case 'const':
      return {
        pointer: where,
        message: `${name || 'value'} must be ${JSON.stringify((e.params as { allowedValue: unknown }).allowedValue)}`,
      };
    case 'type':
      return {
        pointer: where,
        message: `${name || 'value'} must be ${String((e.params as { type: string | string[] }).type).replace(/,/g, ' or ')}`,
      };
    case 'minItems':
      return {
        pointer: where,
        message: `${name || 'list'} must have at least ${(e.params as { limit: number }).limit} item(s)`,
      };
    case 'dependentRequired': {
      const p = e.params as { property: string; missingProperty: string };
      return {
        pointer: where,
        key: p.property,
        message: `"${p.property}" only applies to a step with "${p.missingProperty}"`,
      };
    }
    default:
      return { pointer: where, message: `${name || 'value'} ${e.message ?? 'is invalid'}` };
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
    [/\/run$/, 'command'],
    [/\/expect\/[^/]+$/, 'matcher'],
    [/^\/checklists\/\d+\/items\/\d+$/, 'checklistItem'],
    [/\/(budget|estimate|timeout|delay|every|at|mttr|max_downtime|after|duration|rto)$/, 'duration'],
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
