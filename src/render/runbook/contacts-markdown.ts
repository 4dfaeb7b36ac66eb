import type { Runbook } from '../../model/runbook.js';
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

/** Who is paged at each level, with how to reach them, so a printed page is enough at 3 a.m. */
export function escalationTable(runbook: Runbook): string[] {
  const levels = runbook.escalation ?? [];
  if (levels.length === 0) return ['No escalation matrix in the runbook.'];
  const reach = new Map(
    (runbook.contacts ?? []).map((c) => [c.role, [c.name, c.phone, c.email, c.chat].filter(Boolean).join(', ')]),
  );
  return table(
    ['Level', 'After', 'When', 'Contacts'],
    levels.map((l) => [
      String(l.level),
      l.after ?? blank,
      cell(l.when ?? blank),
      l.contacts.map((role) => cell(reach.get(role) ? `${role} (${reach.get(role) ?? ''})` : role)).join('; '),
    ]),
    ['right'],
  );
}

export function rolesTable(roles: { role: string; responsibilities: string[] }[]): string[] {
  return table(
    ['Role', 'Responsibilities'],
    roles.map((r) => [cell(r.role), r.responsibilities.map(cell).join('; ')]),
  );
}
