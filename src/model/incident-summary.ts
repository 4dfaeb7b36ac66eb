import type { Runbook } from './runbook.js';

/** One incident as `drillbook list` and the service's /api/incidents show it. */
export interface IncidentSummary {
  id: string;
  title: string;
  severity: string;
  rto: string;
  rpo: string;
  phases: number;
  steps: number;
}

export function incidentSummaries(runbook: Runbook): IncidentSummary[] {
  return runbook.incidents.map((inc) => ({
    id: inc.id,
    title: inc.title,
    severity: inc.severity,
    rto: inc.rto,
    rpo: inc.rpo ?? runbook.objectives.rpo,
    phases: inc.phases.length,
    steps: inc.phases.reduce((n, p) => n + p.steps.length, 0),
  }));
}
