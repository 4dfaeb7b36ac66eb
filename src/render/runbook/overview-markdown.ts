import { rtoBudgetMs } from '../../plan/rto-clock.js';
import { durationMs, formatDuration } from '../../model/duration.js';
import type { Runbook } from '../../model/runbook.js';
import type { MarkdownDocument } from '../markdown/document.js';
import { bullets, cell, codeBlock, inline, table } from '../markdown/text.js';
import type { IncidentView, RenderInput } from '../render-input.js';

/** Every incident on one table, linked to its section: the page a reviewer reads first. */
export function renderScenarios(doc: MarkdownDocument, views: IncidentView[], anchors: Map<string, string>): void {
  doc.heading(2, 'Scenarios');
  doc.block(
    ...table(
      ['Incident', 'Severity', 'RTO', 'RPO', 'Phases', 'Steps', 'Budgeted'],
      views.map(({ incident, plan }) => [
        `[${cell(`${incident.id} ${incident.title}`)}](#${anchors.get(incident.id) ?? ''})`,
        incident.severity.toUpperCase(),
        incident.rto,
        plan.incident.rpo ?? 'n/a',
        String(plan.phases.length),
        String(plan.phases.reduce((n, p) => n + p.steps.length, 0)),
        formatDuration(rtoBudgetMs(plan.phases)),
      ]),
      ['left', 'left', 'right', 'right', 'right', 'right', 'right'],
    ),
  );
  doc.block(
    'RPO n/a: no data is at risk in that scenario. "Budgeted" adds up the phase budgets (of the phases on the RTO clock), which never exceed the RTO.',
  );
}

export function renderObjectives(doc: MarkdownDocument, runbook: Runbook): void {
  const o = runbook.objectives;
  doc.heading(2, 'RTO and RPO');
  doc.block(
    ...table(
      ['Objective', 'Target', 'Definition'],
      [
        [
          'Recovery Time Objective (RTO)',
          `${o.rto} (${durationMs(o.rto) / 1000} s)`,
          cell(o.rto_definition ?? 'Maximum time allowed to restore service after a failure.'),
        ],
        [
          'Recovery Point Objective (RPO)',
          o.rpo === 'none' ? 'n/a' : `${o.rpo} (${durationMs(o.rpo) / 1000} s)`,
          cell(o.rpo_definition ?? 'Maximum data loss tolerated, measured as time.'),
        ],
        ...(o.mttr ? [['Mean time to recover (MTTR)', o.mttr, 'Target average over real incidents and drills.']] : []),
      ],
    ),
  );
  doc.block(
    'Each incident states its own RTO; its RPO defaults to the one above. A run measures time to recover (start until the "recovered when" checks hold) against the RTO, and the data-loss window against the RPO.',
  );
  if (o.targets?.length) {
    doc.block(
      ...table(
        ['Target', 'RTO', 'RPO', 'Note'],
        o.targets.map((t) => [
          cell(t.name),
          t.rto ?? '—',
          t.rpo === 'none' ? 'n/a' : (t.rpo ?? '—'),
          cell(t.note ?? ''),
        ]),
      ),
    );
  }
  renderServiceTiers(doc, runbook);
}

function renderServiceTiers(doc: MarkdownDocument, runbook: Runbook): void {
  if (runbook.service_tiers?.length) {
    doc.heading(3, 'Service tiers');
    doc.block(
      ...table(
        ['Tier', 'Name', 'Services', 'Maximum downtime'],
        runbook.service_tiers.map((t) => [
          t.tier,
          cell(t.name ?? ''),
          cell((t.services ?? []).join(', ')),
          t.max_downtime,
        ]),
      ),
    );
  }
}

export function renderBackups(doc: MarkdownDocument, runbook: Runbook): void {
  const b = runbook.backups;
  if (!b) return;
  doc.heading(2, 'Backups');
  if (b.schedule?.length) doc.block('**Schedule**', '', ...bullets(b.schedule));
  if (b.locations?.length) doc.block('**Locations**', '', ...bullets(b.locations));
  if (b.naming?.length) doc.block('**Naming**', '', ...bullets(b.naming));
  if (b.retention?.length)
    doc.block(
      '**Retention**',
      '',
      ...table(
        ['Backup', 'Kept'],
        b.retention.map((r) => [cell(r.kind), cell(r.keep)]),
      ),
    );
  if (b.metadata_example)
    doc.block(
      '**Metadata stored with each backup** (example)',
      '',
      ...codeBlock(JSON.stringify(b.metadata_example, null, 2), 'json'),
    );
}

/** Which values the commands in this document show, and which secrets they need (by name only). */
export function renderEnvironments(doc: MarkdownDocument, input: RenderInput): void {
  const envs = Object.entries(input.runbook.environments ?? {});
  const secrets = input.runbook.secrets ?? [];
  if (envs.length === 0 && secrets.length === 0) return;
  doc.heading(2, 'Environments and secrets');
  if (envs.length > 0) {
    doc.block(
      `Commands in this document are shown with the values of the **${inline(input.environment.name)}** environment. Render another with \`drillbook render --env NAME\`.`,
    );
    doc.block(
      ...table(
        ['Environment', 'Description'],
        envs.map(([name, env]) => [
          name === input.environment.name ? `**${cell(name)}**` : cell(name),
          cell(env.description ?? ''),
        ]),
      ),
    );
  }
  if (secrets.length > 0) {
    doc.block(
      `Secrets are read from environment variables when a step runs and never printed: ${secrets.map((s) => `\`${s}\``).join(', ')}. Where a command needs one it shows \`{{ secrets.NAME }}\`.`,
    );
  }
}

export function renderSources(doc: MarkdownDocument, runbook: Runbook): void {
  if (!runbook.metadata.sources?.length) return;
  doc.heading(2, 'Sources');
  doc.block(...bullets(runbook.metadata.sources));
}
