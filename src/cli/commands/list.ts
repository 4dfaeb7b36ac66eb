import type { Command } from 'commander';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { renderTable } from '../table.js';

export function registerList(program: Command): void {
  program
    .command('list')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--json', 'print the list as JSON')
    .action((options: { file?: string; json?: boolean }) => {
      const { runbook } = openRunbook(runbookPath(options.file));
      const rows = runbook.incidents.map((inc) => ({
        id: inc.id,
        title: inc.title,
        severity: inc.severity,
        rto: inc.rto,
        rpo: inc.rpo ?? runbook.objectives.rpo,
        phases: inc.phases.length,
        steps: inc.phases.reduce((n, p) => n + p.steps.length, 0),
      }));
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
