/** What the built-in names known before a run are filled from. */
export interface IncidentFacts {
  id: string;
  title: string;
  severity: string;
  rto: string;
  /** `none` when the incident has no RPO. */
  rpo: string;
}

/**
 * The built-in values a plan already knows: incident.* and env.name. The run adds run.*, phase.*
 * and the clock (src/execute/variables.ts); together they cover every name in BUILTIN_VARIABLES.
 */
export function incidentValues(incident: IncidentFacts, environment: string): Map<string, string> {
  return new Map([
    ['incident.id', incident.id],
    ['incident.title', incident.title],
    ['incident.severity', incident.severity],
    ['incident.rto', incident.rto],
    ['incident.rpo', incident.rpo],
    ['env.name', environment],
  ]);
}
