/** `{{ name }}` template references: the only substitution syntax, chosen so it never looks like shell. */
const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_.-]*)\s*\}\}/g;

export function templateNames(text: string): string[] {
  return [...text.matchAll(REFERENCE)].map((m) => m[1] ?? '');
}

export function hasTemplate(text: string): boolean {
  return text.includes('{{');
}

/**
 * Replaces each reference with lookup(name); names lookup returns undefined for are left as written,
 * so a later stage (captured variables at run time) can fill them.
 */
export function renderTemplate(text: string, lookup: (name: string) => string | undefined): string {
  if (!hasTemplate(text)) return text;
  return text.replace(REFERENCE, (whole, name: string) => lookup(name) ?? whole);
}

/** Built-in names available to every template (filled by the planner or the executor). */
export const BUILTIN_VARIABLES: ReadonlySet<string> = new Set([
  'incident.id',
  'incident.title',
  'incident.severity',
  'incident.rto',
  'incident.rpo',
  'run.id',
  'run.operator',
  'run.started',
  'env.name',
  'elapsed',
  'remaining',
  'eta',
  'phase.id',
  'phase.title',
  'step.id',
  'step.title',
]);

/** The environment variable a shell step sees for a runbook variable: db.replica -> DB_REPLICA. */
export function envNameOf(variable: string): string {
  return variable.replace(/[.-]/g, '_').toUpperCase();
}
