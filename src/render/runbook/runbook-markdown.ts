import { renderChecklists } from '../checklists/checklist-markdown.js';
import { MarkdownDocument, Slugger, withTitleAndContents } from '../markdown/document.js';
import type { Runbook } from '../../model/runbook.js';
import { paragraphs } from '../markdown/text.js';
import { generatedNote, type IncidentView, type RenderInput } from '../render-input.js';
import { titleBlock } from '../title-block.js';
import { cadenceLine, channelsTable, contactsTable, escalationTable, rolesTable } from './contacts-markdown.js';
import { incidentHeading, renderIncident } from './incident-markdown.js';
import {
  renderBackups,
  renderEnvironments,
  renderObjectives,
  renderScenarios,
  renderSources,
} from './overview-markdown.js';

/**
 * The full runbook as one Markdown document (the seeds' DR procedures runbook is the bar): title block,
 * contents, scenarios, objectives, contacts, then every incident phase by phase, then the checklists.
 */
export function runbookMarkdown(input: RenderInput, views: IncidentView[], only?: string): string {
  const { runbook } = input;
  const slugger = new Slugger();
  const title = only ? `${runbook.metadata.title}: ${only}` : runbook.metadata.title;
  slugger.slug(title);
  slugger.slug('Contents');
  const body = new MarkdownDocument(slugger);

  if (runbook.metadata.description) {
    body.heading(2, 'Overview');
    body.block(...paragraphs(runbook.metadata.description));
  }
  // Incident headings start with their unique id, so their anchors never need a -1 suffix.
  const anchors = new Map(views.map((v) => [v.incident.id, new Slugger().slug(incidentHeading(v))]));
  renderScenarios(body, views, anchors);
  renderObjectives(body, runbook);
  renderContacts(body, input);
  renderBackups(body, runbook);
  renderEnvironments(body, input);
  for (const view of views) renderIncident(body, runbook, view, input.environment.vars);
  renderRunbookChecklists(body, runbook, only);
  renderSources(body, runbook);

  return withTitleAndContents(
    generatedNote(input),
    title,
    titleBlock(runbook, [['Commands shown for', `environment ${input.environment.name}`]]),
    body,
  );
}

function renderContacts(body: MarkdownDocument, input: RenderInput): void {
  const { runbook } = input;
  body.heading(2, 'Contacts and escalation');
  body.block(...contactsTable(runbook));
  body.heading(3, 'Escalation matrix');
  body.block(...escalationTable(runbook));
  const cadence = cadenceLine(runbook.status_updates);
  if (cadence) body.block(cadence);
  const channels = channelsTable(runbook, input.environment.vars);
  if (channels.length > 0) {
    body.heading(3, 'Notification channels');
    body.block(...channels);
  }
  if (runbook.roles?.length) {
    body.heading(3, 'Roles');
    body.block(...rolesTable(runbook.roles));
  }
}

function renderRunbookChecklists(body: MarkdownDocument, runbook: Runbook, only: string | undefined): void {
  const checklists = (runbook.checklists ?? []).filter((c) => !only || !c.incident || c.incident === only);
  if (checklists.length === 0) return;
  body.heading(2, 'Checklists');
  body.block(
    'The same checklists, with room to write, are in the checklist document (`drillbook render --format checklist`).',
  );
  renderChecklists(body, runbook, checklists, 3);
}
