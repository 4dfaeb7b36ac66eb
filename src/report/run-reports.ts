import { join } from 'node:path';
import { readJournal } from '../journal/journal.js';
import { writeFileAtomic } from '../journal/run-store.js';
import { buildReport, type Report } from './build-report.js';
import { historyRunOf, rememberHistoryRun } from './history-runs.js';
import { reportJunit } from './report-junit.js';
import { reportMarkdown } from './report-markdown.js';

/**
 * What a finished run leaves beside its journal, rebuilt from the journal: report.json, report.md, the summary
 * history reads (history.json) and, for a run of `run --all`, its own JUnit file.
 */
export function writeRunReports(dir: string, journalPath: string, options: { junit?: boolean } = {}): Report {
  const report = buildReport(readJournal(journalPath));
  writeFileAtomic(join(dir, 'report.json'), `${JSON.stringify(report, null, 2)}\n`);
  writeFileAtomic(join(dir, 'report.md'), reportMarkdown(report));
  rememberHistoryRun(dir, historyRunOf(report));
  if (options.junit) writeFileAtomic(join(dir, 'report.junit.xml'), reportJunit(report));
  return report;
}
