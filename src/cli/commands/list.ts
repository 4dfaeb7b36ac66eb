import type { Command } from 'commander';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { renderTable } from '../table.js';
import { incidentSummaries } from '../../model/incident-summary.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--json', 'print the list as JSON')
    .action((options: { file?: string; json?: boolean }) => {
      const { runbook } = openRunbook(runbookPath(options.file));
      const rows = incidentSummaries(runbook);
      if (options.json) {
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
        return;
      }
      process.stdout.write(`${runbook.metadata.title} (v${runbook.metadata.version})\n\n`);
      const header = ['ID', 'TITLE', 'SEVERITY', 'RTO', 'RPO', 'PHASES', 'STEPS'];
      process.stdout.write(
        renderTable(
          header,
          rows.map((r) => [r.id, r.title, r.severity, r.rto, r.rpo, String(r.phases), String(r.steps)]),
        ),
      );
    });
}
