import type { Command } from 'commander';
import { runsDir } from '../../journal/run-store.js';
import { UsageError } from '../../model/errors.js';
import { buildHistory } from '../../report/build-history.js';
import { historyText } from '../../report/history-text.js';
import { loadAllReports } from '../../report/load-run.js';
import { renderTable } from '../table.js';

export function registerHistory(program: Command): void {
  program
    .command('history')
    .description('past runs: success rate, mean and worst time to recover, RTO compliance and trend per incident')
    .option('--incident <id>', 'only this incident')
    .option('--json', 'print the history as JSON')
    .action((options: { incident?: string; json?: boolean }) => {
      if (options.incident !== undefined && !/^[A-Z][A-Z0-9]*-\d{3}$/.test(options.incident)) {
        throw new UsageError(`--incident expects an incident id such as INC-003, got "${options.incident}"`);
      }
      const { reports, unreadable } = loadAllReports();
      const history = buildHistory(reports.filter((r) => options.incident === undefined || r.incident.id === options.incident));
      for (const u of unreadable) process.stderr.write(`drillbook: skipped run ${u.runId}: ${u.reason}\n`);
      if (options.json) {
        process.stdout.write(`${JSON.stringify({ runsDir: runsDir(), ...history, unreadable }, null, 2)}\n`);
        return;
      }
      if (history.runs.length === 0) {
        process.stdout.write(`no runs${options.incident ? ` of ${options.incident}` : ''} in ${runsDir()}\n`);
        return;
      }
      process.stdout.write(historyText(history, renderTable));
    });
}
