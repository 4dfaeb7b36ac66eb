import { closestName } from '../../model/closest-name.js';
import { durationMs } from '../../model/duration.js';
import { stepLists, type EscalationLevel, type Incident, type StatusUpdates } from '../../model/runbook.js';
import type { RuleContext } from './context.js';

/**
 * Escalation, status cadence and channels hold together: every channel named is defined, email has a mail
 * server, a cadence is longer than nothing and its template exists, and escalation levels go up in time.
 */
export function communications(ctx: RuleContext): void {
  const { runbook } = ctx;
  const channels = (names: string[] | undefined, pointer: string) => {
    names?.forEach((name, k) => {
      checkChannel(ctx, name, `${pointer}/${k}`);
    });
  };
  escalationLevels(ctx, runbook.escalation ?? [], '/escalation');
  (runbook.escalation ?? []).forEach((l, j) => {
    channels(l.notify, `/escalation/${j}/notify`);
  });
  if (runbook.status_updates) cadence(ctx, runbook.status_updates, '/status_updates');
  channels(runbook.status_updates?.notify, '/status_updates/notify');
  for (const [name, channel] of Object.entries(runbook.channels ?? {})) {
    if (channel.email && !runbook.smtp)
      ctx.report(
        `/channels/${name}/email`,
        `channel "${name}" sends email, but the runbook has no smtp server`,
        'add a top-level smtp: { host, port, user, password, from }',
        'email',
      );
  }
  const password = runbook.smtp?.password;
  if (password !== undefined && !(runbook.secrets ?? []).includes(password))
    ctx.report(
      '/smtp/password',
      `secret "${password}" is not listed under secrets`,
      'add it to the top-level secrets list',
    );
  runbook.incidents.forEach((incident, i) => {
    incidentComms(ctx, incident, `/incidents/${i}`, channels);
  });
}

function incidentComms(
  ctx: RuleContext,
  incident: Incident,
  base: string,
  channels: (names: string[] | undefined, pointer: string) => void,
): void {
  if (incident.escalation) {
    escalationLevels(ctx, incident.escalation, `${base}/escalation`);
    incident.escalation.forEach((l, j) => {
      channels(l.notify, `${base}/escalation/${j}/notify`);
    });
  }
  if (incident.status_updates) cadence(ctx, incident.status_updates, `${base}/status_updates`);
  channels(incident.status_updates?.notify, `${base}/status_updates/notify`);
  // The runbook's cadence names a template each incident that uses it must have.
  const used = incident.status_updates ?? ctx.runbook.status_updates;
  const template = used?.template;
  if (template !== undefined && !(incident.communication ?? []).some((t) => t.id === template)) {
    const own = incident.status_updates !== undefined;
    ctx.report(
      own ? `${base}/status_updates/template` : `${base}/id`,
      own
        ? `unknown communication template "${template}"`
        : `${incident.id} has no communication template "${template}", which the runbook's status_updates sends`,
      "add the template to the incident's communication list, or give status_updates a message",
    );
  }
  for (const list of stepLists(incident, base))
    list.steps.forEach((step, k) => {
      channels(step.notify?.to, `${list.path}/${k}/notify/to`);
    });
}

function checkChannel(ctx: RuleContext, name: string, pointer: string): void {
  const known = Object.keys(ctx.runbook.channels ?? {});
  if (known.includes(name)) return;
  const near = closestName(name, known);
  ctx.report(
    pointer,
    `channel "${name}" is not defined under channels`,
    near ? `did you mean "${near}"?` : 'define it under the top-level channels (webhook or email)',
  );
}

function cadence(ctx: RuleContext, updates: StatusUpdates, pointer: string): void {
  if (durationMs(updates.every) === 0)
    ctx.report(`${pointer}/every`, 'status_updates every must be longer than 0s', 'for example every: 3m');
}

/** Levels fire in the order of their `after`: a higher level that starts earlier than a lower one is a typo. */
function escalationLevels(ctx: RuleContext, levels: EscalationLevel[], pointer: string): void {
  const roles = new Set((ctx.runbook.contacts ?? []).map((c) => c.role));
  let previous: { level: number; after: string; ms: number } | undefined;
  levels.forEach((level, j) => {
    if (pointer !== '/escalation')
      level.contacts.forEach((role, k) => {
        if (!roles.has(role))
          ctx.report(
            `${pointer}/${j}/contacts/${k}`,
            `escalation names "${role}", who is not in contacts`,
            'use a role from the contacts list',
          );
      });
    if (level.after === undefined) return;
    const ms = durationMs(level.after);
    if (previous && ms < previous.ms)
      ctx.report(
        `${pointer}/${j}/after`,
        `escalation level ${level.level} starts after ${level.after}, before level ${previous.level} (after ${previous.after}); a higher level starts later`,
        'order the levels by their after',
      );
    previous = { level: level.level, after: level.after, ms };
  });
}
