import { mapStrings } from '../../model/map-strings.js';
import type { EscalationLevel, Runbook, StatusUpdates } from '../../model/runbook.js';
import { renderTemplate } from '../../model/template.js';
import { cell, table } from '../markdown/text.js';

const blank = '—';

export function contactsTable(runbook: Runbook): string[] {
  const contacts = runbook.contacts ?? [];
  if (contacts.length === 0) return ['No contacts listed in the runbook.'];
  return table(
    ['Role', 'Name', 'Phone', 'Email', 'Chat', 'On call'],
    contacts.map((c) => [
      cell(c.role),
      cell(c.name ?? blank),
      cell(c.phone ?? blank),
      cell(c.email ?? blank),
      cell(c.chat ?? blank),
      c.on_call === undefined ? blank : c.on_call ? 'yes' : 'no',
    ]),
  );
}

/**
 * Who is paged at each level, with how to reach them, so a printed page is enough at 3 a.m.; what the responder
 * does at the level and the channels a run notifies when its clock passes the level's `after`.
 */
export function escalationTable(runbook: Runbook, levels: EscalationLevel[] = runbook.escalation ?? []): string[] {
  if (levels.length === 0) return ['No escalation matrix in the runbook.'];
  const reach = new Map(
    (runbook.contacts ?? []).map((c) => [c.role, [c.name, c.phone, c.email, c.chat].filter(Boolean).join(', ')]),
  );
  const acts = levels.some((l) => l.action !== undefined || l.notify !== undefined);
  return table(
    ['Level', 'After', 'When', 'Contacts', ...(acts ? ['Action', 'Notifies'] : [])],
    levels.map((l) => [
      String(l.level),
      l.after ?? 'by decision',
      cell(l.when ?? blank),
      l.contacts.map((role) => cell(reach.get(role) ? `${role} (${reach.get(role) ?? ''})` : role)).join('; '),
      ...(acts ? [cell(l.action ?? blank), l.notify?.map(cell).join(', ') ?? blank] : []),
    ]),
    ['right'],
  );
}

/** The status-update cadence in one sentence: how often, from which template, to which channels. */
export function cadenceLine(updates: StatusUpdates | undefined): string | undefined {
  if (!updates) return undefined;
  const from = updates.template ? ` from the template \`${updates.template}\`` : '';
  const to = updates.notify?.length ? `, sent to ${updates.notify.map(cell).join(', ')} in auto mode` : '';
  return `Status update every ${updates.every}${from}${to}; a guided run reminds the responder when one is due.`;
}

/** The channels a run sends through: webhooks and email, with the mail server, with the environment's values filled. */
export function channelsTable(runbook: Runbook, vars: ReadonlyMap<string, string>): string[] {
  const channels = Object.entries(runbook.channels ?? {});
  if (channels.length === 0) return [];
  const fill = (text: string) => renderTemplate(text, (name) => vars.get(name));
  const smtp = runbook.smtp ? mapStrings(runbook.smtp, fill) : undefined;
  return [
    ...table(
      ['Channel', 'Kind', 'To'],
      channels.map(([name, c]) => [
        cell(name),
        c.webhook !== undefined ? 'webhook' : 'email',
        cell(fill(c.webhook ?? c.email?.to.join(', ') ?? blank)),
      ]),
    ),
    ...(smtp
      ? [
          '',
          `Email goes through ${cell(smtp.host)}:${cell(String(smtp.port ?? (smtp.secure ? 465 : 587)))}${smtp.secure ? ' (TLS)' : ''} from ${cell(smtp.from)}.`,
        ]
      : []),
  ];
}

export function rolesTable(roles: { role: string; responsibilities: string[] }[]): string[] {
  return table(
    ['Role', 'Responsibilities'],
    roles.map((r) => [cell(r.role), r.responsibilities.map(cell).join('; ')]),
  );
}
