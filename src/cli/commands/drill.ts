import type { Command } from 'commander';
import { runbookPath } from '../open-runbook.js';
import { renderTable } from '../table.js';

interface DrillFlags {
  file?: string;
  env: string;
  dir?: string;
  basePort?: string;
  json?: boolean;
  keep?: boolean;
}

export function registerDrill(program: Command): void {
  program
    .command('drill')
    .argument('[incidents...]', 'incidents to drill (default: INC-001 … INC-006)')
    .option('-f, --file <file>', 'runbook file (default: $DRILLBOOK_FILE or playbooks/thebot-dr.yaml)')
    .option('--env <name>', 'the runbook environment that points at the lab', 'lab')
    .option('--dir <dir>', 'lab directory (default .drillbook/lab)')
    .option('--base-port <n>', 'first port of the lab range (default 25400)')
    .option('--keep', 'leave the last lab up for inspection')
    .option('--json', 'print the results as JSON')
    .action(async (incidents: string[], flags: DrillFlags) => {
      const { labLayout, DEFAULT_LAB_DIR, DEFAULT_BASE_PORT } = await import('../../lab/layout.js');
      const { drillIncident, drillRow, DRILL_HEADER } = await import('../../lab/drill.js');
      const { labDown } = await import('../../lab/lab-down.js');
      const layout = labLayout(
        flags.dir ?? DEFAULT_LAB_DIR,
        flags.basePort ? Number(flags.basePort) : DEFAULT_BASE_PORT,
      );
      const list =
        incidents.length > 0 ? incidents : ['INC-001', 'INC-002', 'INC-003', 'INC-004', 'INC-005', 'INC-006'];
      const say = (line: string) => {
        if (!flags.json) process.stdout.write(`${line}\n`);
      };
      const results = [];
      try {
        for (const incident of list) {
          const result = await drillIncident(layout, incident, runbookPath(flags.file), say);
          say(
            `${incident}: ${result.passed ? 'PASS' : 'FAIL'} — ${result.detail}${result.runId ? ` (run ${result.runId})` : ''}`,
          );
          results.push(result);
        }
      } finally {
        if (!flags.keep) await labDown(layout, () => undefined);
      }
      if (flags.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
      else process.stdout.write(`\n${renderTable(DRILL_HEADER, results.map(drillRow))}`);
      process.exitCode = results.every((r) => r.passed) ? 0 : 1;
    });
}
