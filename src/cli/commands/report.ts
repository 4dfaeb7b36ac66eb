import { Option, type Command } from 'commander';
import { resolveRunId, loadReport } from '../../report/load-run.js';
import { reportHtml } from '../../report/report-html.js';
import { reportJunit } from '../../report/report-junit.js';
import { reportMarkdown } from '../../report/report-markdown.js';
import { buildReport, type Report } from '../../report/build-report.js';
import { storeConfig, type StoreConfig } from '../../store/store-config.js';
import { messageOf } from '../../model/error-message.js';
import { writeFailure, writeWhole } from '../../journal/run-store.js';
import { EnvironmentError, UsageError } from '../../model/errors.js';
import { collectVar } from '../var-options.js';
import { checkFilter } from '../../report/history-filter.js';

type Format = (r: Report) => string | Promise<Uint8Array>;

const FORMATS: Record<string, Format> = {
  markdown: reportMarkdown,
  html: reportHtml,
  json: (r) => `${JSON.stringify(r, null, 2)}\n`,
  junit: reportJunit,
  // Loaded only for a PDF: it brings playwright-core and starts Chromium.
  pdf: async (r) => (await import('../../report/report-pdf.js')).reportPdf(r),
};

interface ReportOptions {
  format: string;
  out?: string;
  store?: string;
  period?: 'week' | 'month';
  since?: string;
  file: string[];
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .argument('[run-id]', 'run id, a unique prefix of one, or "latest"', 'latest')
    .addOption(new Option('--format <format>', 'report format').choices(Object.keys(FORMATS)).default('markdown'))
    .option('--out <file>', 'write the report to this file (whole or not at all) instead of standard output')
    .option('--store <url>', 'read the run from this PostgreSQL store (default: $DRILLBOOK_STORE)')
    .addOption(
      new Option('--period <period>', "a weekly or monthly report over the store's runs, with recommendations").choices(
        ['week', 'month'],
      ),
    )
    .option('--since <age|date>', 'with --period: runs started since (default: 7d for week, 30d for month)')
    .option(
      '-f, --file <file>',
      'with --period: runbook whose drill cadences to check (repeatable; default: the runbooks registered with serve)',
      collectVar,
      [],
    )
    .action(async (runId: string, options: ReportOptions) => {
      if (options.period) return periodReport(options);
      if (options.format === 'pdf' && !options.out && process.stdout.isTTY)
        throw new UsageError('a PDF is not for a terminal: give --out FILE.pdf or redirect standard output');
      const store = storeConfig(options.store);
      const report = store ? await storedReport(store, runId) : loadReport(resolveRunId(runId));
      const render = FORMATS[options.format] ?? reportMarkdown;
      const content = await render(report);
      if (options.out) writeOut(options.out, content);
      else process.stdout.write(content);
    });
}

/** `--period`: the same builder as GET /api/reports, over the store's runs. */
async function periodReport(options: ReportOptions): Promise<void> {
  if (!['markdown', 'html', 'json'].includes(options.format))
    throw new UsageError(`a period report is markdown, html or json, not ${options.format}`);
  const store = storeConfig(options.store);
  if (!store) throw new UsageError('a period report reads the team store: give --store URL or set DRILLBOOK_STORE');
  // A mistyped --since is exit 2 before the store is opened.
  checkFilter({ since: options.since });
  const { fileRunbooks, registeredRunbooks } = await import('./period-runbooks.js');
  const { storedPeriodReport } = await import('../../store/period-reads.js');
  const { periodHtml, periodMarkdown } = await import('../../report/period-markdown.js');
  const { withStore } = await import('../../store/connect.js');
  const period = options.period ?? 'week';
  const given = await fileRunbooks(options.file);
  const report = await withStore(store, async (client) =>
    storedPeriodReport(client, period, options.since, given ?? (await registeredRunbooks(client))),
  );
  const render = {
    markdown: periodMarkdown,
    html: periodHtml,
    json: (r: unknown) => `${JSON.stringify(r, null, 2)}\n`,
  };
  const content = render[options.format as keyof typeof render](report);
  if (options.out) writeOut(options.out, content);
  else process.stdout.write(content);
}

function writeOut(file: string, content: string | Uint8Array): void {
  try {
    writeWhole(file, content);
  } catch (error) {
    throw new EnvironmentError(`cannot write ${file} (${writeFailure(error)}); nothing was written`, file, {
      cause: error,
    });
  }
}

/** A run's report rebuilt from the events the store holds, exactly as from a journal (buildReport). */
async function storedReport(config: StoreConfig, requested: string): Promise<Report> {
  const { withStore } = await import('../../store/connect.js');
  const { storedRunEvents } = await import('../../store/store-reads.js');
  const { runId, events } = await withStore(config, (client) => storedRunEvents(client, requested));
  try {
    return buildReport(events);
  } catch (error) {
    throw new UsageError(`run ${runId} in the store: ${messageOf(error)}`);
  }
}
