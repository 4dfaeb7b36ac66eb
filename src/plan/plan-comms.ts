import { durationMs } from '../model/duration.js';
import type { Incident, Runbook } from '../model/runbook.js';
import type { PlanComms, PlanStep } from './plan-types.js';

/**
 * The people half of a plan: the incident's escalation levels (or the runbook's), its status-update cadence
 * (or the runbook's), and the channels and mail server that steps, levels and cadence name.
 */
export function planComms(runbook: Runbook, incident: Incident, steps: PlanStep[]): PlanComms {
  const templates = new Map((incident.communication ?? []).map((t) => [t.id, t.text]));
  const escalation = (incident.escalation ?? runbook.escalation ?? []).map((l) => ({
    level: l.level,
    afterMs: l.after === undefined ? null : durationMs(l.after),
    contacts: l.contacts,
    notify: l.notify ?? [],
    ...(l.after !== undefined ? { after: l.after } : {}),
    ...(l.when !== undefined ? { when: l.when } : {}),
    ...(l.action !== undefined ? { action: l.action } : {}),
    ...(l.message !== undefined ? { message: l.message } : {}),
  }));
  const cadence = incident.status_updates ?? runbook.status_updates;
  const statusUpdates = cadence
    ? {
        every: cadence.every,
        everyMs: durationMs(cadence.every),
        text: cadence.message ?? templates.get(cadence.template ?? '') ?? '',
        notify: cadence.notify ?? [],
        ...(cadence.template !== undefined ? { template: cadence.template } : {}),
      }
    : null;
  const named = new Set([
    ...escalation.flatMap((l) => l.notify),
    ...(statusUpdates?.notify ?? []),
    ...steps.flatMap((s) => s.notify?.to ?? []),
  ]);
  const channels = Object.fromEntries(Object.entries(runbook.channels ?? {}).filter(([name]) => named.has(name)));
  const emails = Object.values(channels).some((c) => c.email !== undefined);
  return { escalation, statusUpdates, channels, smtp: emails ? (runbook.smtp ?? null) : null };
}

/** What the responder reads when a level fires: "Level 2: war room with …; notify stakeholders". */
export function escalationLine(level: { level: number; action?: string; contacts: string[] }): string {
  return `Level ${level.level}: ${level.action ?? `contact ${level.contacts.join(', ')}`}`;
}
