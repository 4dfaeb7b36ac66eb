import { Option, type Command } from 'commander';
import { resolveRunId, loadReport } from '../../report/load-run.js';
import { reportHtml } from '../../report/report-html.js';
import { reportJunit } from '../../report/report-junit.js';
import { reportMarkdown } from '../../report/report-markdown.js';
import type { Report } from '../../report/build-report.js';

const FORMATS: Record<string, (r: Report) => string> = {
  markdown: reportMarkdown,
  html: reportHtml,
  json: (r) => `${JSON.stringify(r, null, 2)}\n`,
  junit: reportJunit,
};

export function registerReport(program: Command): void {
  program
    .command('report')
    .argument('[run-id]', 'run id, a unique prefix of one, or "latest"', 'latest')
    .addOption(new Option('--format <format>', 'report format').choices(Object.keys(FORMATS)).default('markdown'))
    .action((runId: string, options: { format: string }) => {
      const report = loadReport(resolveRunId(runId));
      const render = FORMATS[options.format] ?? reportMarkdown;
      process.stdout.write(render(report));
    });
}
