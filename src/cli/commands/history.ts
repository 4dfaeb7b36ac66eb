import { Option, type Command } from 'commander';
import { runsDir } from '../../journal/run-store.js';
import { buildHistory, type History, type HistoryRun } from '../../report/build-history.js';
import { checkedRunbookFiles, historyCheck, type HistoryCheck } from '../../report/history-check.js';
import { filterReports, type HistoryFilter } from '../../report/history-filter.js';
import { historyText } from '../../report/history-text.js';
import { loadHistoryRuns } from '../../report/history-runs.js';
import { renderTable } from '../table.js';
import { collectVar } from '../var-options.js';
import { PERIODS, statsOf, statsText, type Period } from '../../report/history-stats.js';
import { storeConfig, type StoreConfig } from '../../store/store-config.js';

interface HistoryFlags extends HistoryFilter {
  json?: boolean;
  check?: boolean;
  file: string[];
  period?: Period;
  store?: string;
}

export function registerHistory(program: Command): void {
  program
    .command('history')
    .option('--incident <id>', 'only this incident')
    .option('--runbook <name>', 'only this runbook (its metadata.name)')
    .addOption(new Option('--mode <mode>', 'only runs in this mode').choices(['simulate', 'auto', 'interactive']))
    .option('--since <age|date>', 'only runs started since: 7d, 30d, 12h, 2w or a date (2026-01-31)')
    .option(
      '--check',
      'exit 3 if the latest real run of an incident failed or breached, 1 if an incident is overdue for a drill',
    )
    .option(
      '-f, --file <file>',
      'with --check: runbook whose drill cadences to check (repeatable; default: the runbooks the runs used)',
      collectVar,
      [],
    )
    .addOption(
      new Option('--period <period>', 'statistics per day, ISO week or month (UTC) as well as per incident').choices(
        PERIODS,
      ),
    )
    .option(
      '--store <url>',
      'statistics of every run in this PostgreSQL store (default: $DRILLBOOK_STORE; --check still judges local runs)',
    )
    .option('--json', 'print the history as JSON')
    .action(historyAction);
}

async function historyAction(flags: HistoryFlags): Promise<void> {
  const store = flags.check ? undefined : storeConfig(flags.store);
  if (store) return storeHistory(store, flags);
  const { runs: reports, unreadable, live } = await loadHistoryRuns();
  const history = buildHistory(filterReports(reports, flags), live);
  for (const u of unreadable) process.stderr.write(`drillbook: skipped run ${u.runId}: ${u.reason}\n`);
  // The runbooks (and their parser) are read only to check drill cadences.
  const check = flags.check ? await checkAgainstRunbooks(history, reports, flags) : undefined;
  if (flags.json) {
    const stats = statsOf(history.runs, flags.period);
    process.stdout.write(
      `${JSON.stringify({ runsDir: runsDir(), ...history, stats, unreadable, ...(check ? { check } : {}) }, null, 2)}\n`,
    );
  } else {
    process.stdout.write(localHistoryText(history, flags));
    if (check)
      process.stdout.write(
        `\ncheck:\n${check.lines.map((l) => `${l.status.padEnd(7)} ${l.key}: ${l.text}`).join('\n') || 'nothing to check'}\n`,
      );
  }
  if (check) process.exitCode = check.exitCode;
}

function localHistoryText(history: History, flags: HistoryFlags): string {
  if (history.runs.length === 0 && history.running.length === 0)
    return `no runs${flags.incident ? ` of ${flags.incident}` : ''} in ${runsDir()}\n`;
  const perPeriod = flags.period
    ? `\nper ${flags.period}:\n${statsText(statsOf(history.runs, flags.period), renderTable)}`
    : '';
  return `${historyText(history, renderTable)}${perPeriod}`;
}

async function checkAgainstRunbooks(history: History, runs: HistoryRun[], flags: HistoryFlags): Promise<HistoryCheck> {
  const { openRunbook } = await import('../open-runbook.js');
  const runbooks = checkedRunbookFiles(
    flags.file,
    runs.map((r) => r.runbook.file),
  )
    .map((f) => openRunbook(f).runbook)
    .filter((rb) => flags.runbook === undefined || rb.metadata.name === flags.runbook);
  return historyCheck(history, runbooks, flags.incident);
}

/** History from the store: the statistics computed by PostgreSQL over every runner's runs. */
async function storeHistory(config: StoreConfig, flags: HistoryFlags): Promise<void> {
  const { withStore } = await import('../../store/connect.js');
  const { storedStats } = await import('../../store/store-reads.js');
  const [all, perPeriod] = await withStore(config, async (client) => [
    await storedStats(client, flags),
    flags.period ? await storedStats(client, flags, flags.period) : undefined,
  ]);
  const stats = perPeriod ?? all;
  if (flags.json) {
    process.stdout.write(`${JSON.stringify({ store: config.shown, incidents: all, stats }, null, 2)}\n`);
    return;
  }
  if (all.length === 0) {
    process.stdout.write(`no runs${flags.incident ? ` of ${flags.incident}` : ''} in ${config.shown}\n`);
    return;
  }
  const real = all.reduce((n, r) => n + r.realRuns, 0);
  const sims = all.reduce((n, r) => n + r.simulations, 0);
  process.stdout.write(
    `store ${config.shown}: ${real} real run${real === 1 ? '' : 's'}, ${sims} simulation${sims === 1 ? '' : 's'}\n\n${statsText(all, renderTable)}`,
  );
  if (perPeriod) process.stdout.write(`\nper ${flags.period ?? ''}:\n${statsText(perPeriod, renderTable)}`);
  process.stdout.write(
    '\nSuccess, time to recover (TTR) and data loss count real runs (auto, interactive) only: success is a recovery within the RTO and RPO.\n',
  );
}
