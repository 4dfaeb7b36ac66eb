import { Option, type Command } from 'commander';
import { listRunIds, runsDir } from '../../journal/run-store.js';
import { messageOf } from '../../model/error-message.js';
import { formatDuration } from '../../model/duration.js';
import { summarizeRun } from '../../report/build-history.js';
import { filterReports } from '../../report/history-filter.js';
import { loadReport } from '../../report/load-run.js';
import type { Report } from '../../report/build-report.js';
import type { RunListing, RunsFilter } from '../../store/store-reads.js';
import { storeConfig } from '../../store/store-config.js';
import { renderTable } from '../table.js';

interface RunsFlags extends RunsFilter {
  json?: boolean;
  store?: string;
}

export function registerRuns(program: Command): void {
  program
    .command('runs')
    .option('--incident <id>', 'only this incident')
    .option('--runbook <name>', 'only this runbook (its metadata.name)')
    .addOption(new Option('--mode <mode>', 'only runs in this mode').choices(['simulate', 'auto', 'interactive']))
    .option(
      '--outcome <outcome>',
      'only runs with this outcome (recovered, failed, not-recovered, aborted, unfinished …)',
    )
    .option('--since <age|date>', 'only runs started since: 7d, 30d, 12h, 2w or a date (2026-01-31)')
    .option('--operator <name>', 'only runs started by this operator')
    .option('--store <url>', 'read this PostgreSQL store (default: $DRILLBOOK_STORE; without one: the local journals)')
    .option('--json', 'print the runs as JSON')
    .action(async (flags: RunsFlags) => {
      const config = storeConfig(flags.store);
      let runs: RunListing[];
      if (config) {
        const { withStore } = await import('../../store/connect.js');
        const { listStoredRuns } = await import('../../store/store-reads.js');
        runs = await withStore(config, (client) => listStoredRuns(client, flags));
      } else runs = localRuns(flags);
      const source = config ? config.shown : runsDir();
      if (flags.json) process.stdout.write(`${JSON.stringify({ source, runs }, null, 2)}\n`);
      else if (runs.length === 0) process.stdout.write(`no runs in ${source}\n`);
      else process.stdout.write(runsTable(runs));
    });
}

/** The local runs, each rebuilt from its journal (operator and outcome are not in history's summaries). */
function localRuns(f: RunsFilter): RunListing[] {
  const reports: Report[] = [];
  for (const runId of listRunIds()) {
    try {
      reports.push(loadReport(runId));
    } catch (error) {
      process.stderr.write(`drillbook: skipped run ${runId}: ${messageOf(error)}\n`);
    }
  }
  return filterReports(reports, f)
    .filter(
      (r) =>
        (f.operator === undefined || r.operator === f.operator) && (f.outcome === undefined || r.outcome === f.outcome),
    )
    .map((r) => {
      const s = summarizeRun(r);
      return {
        runId: r.runId,
        startedAt: r.startedAt,
        runbook: r.runbook.name,
        incident: r.incident.id,
        mode: r.mode,
        operator: r.operator,
        origin: null,
        outcome: s.outcome,
        verdict: s.verdict,
        ttrMs: s.ttrMs,
      };
    })
    .sort((a, b) => a.startedAt.localeCompare(b.startedAt) || a.runId.localeCompare(b.runId));
}

function runsTable(runs: RunListing[]): string {
  return renderTable(
    ['RUN', 'STARTED', 'RUNBOOK', 'INCIDENT', 'MODE', 'OPERATOR', 'ORIGIN', 'VERDICT', 'TTR'],
    runs.map((r) => [
      r.runId,
      r.startedAt.slice(0, 19).replace('T', ' '),
      r.runbook,
      r.incident,
      r.mode,
      r.operator,
      r.origin ?? '-',
      r.verdict,
      r.ttrMs === null ? '-' : formatDuration(r.ttrMs),
    ]),
  );
}
