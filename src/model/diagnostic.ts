/** One problem in a runbook, pointing at the exact place in the source. */
export interface Diagnostic {
  file: string;
  line: number;
  col: number;
  /** JSON path of the offending value, e.g. /incidents/0/phases/1/budget */
  path: string;
  message: string;
  hint?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const hint = d.hint ? ` (hint: ${d.hint})` : '';
  return `${d.file}:${d.line}:${d.col}: ${d.message}${hint}`;
}

export function sortDiagnostics(list: Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || a.col - b.col);
}
