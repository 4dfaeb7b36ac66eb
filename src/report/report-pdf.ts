import { launchChromium } from '../render/html/chromium.js';
import type { Report } from './build-report.js';
import { reportHtml } from './report-html.js';

/**
 * The HTML report printed to PDF by headless Chromium, for compliance files: A4, backgrounds kept (the
 * outcome banner's colour), the run id and page numbers in the footer. The page may load nothing: every
 * request is refused, so the PDF is exactly the self-contained HTML report.
 */
export async function reportPdf(report: Report): Promise<Uint8Array> {
  const browser = await launchChromium('drillbook report --format pdf');
  try {
    const page = await browser.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(reportHtml(report), { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      printBackground: true,
      margin: { top: '14mm', bottom: '16mm', left: '12mm', right: '12mm' },
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: footer(report.runId),
    });
  } finally {
    await browser.close();
  }
}

function footer(runId: string): string {
  const id = runId.replace(/[^\w.-]/g, '');
  return `<div style="font: 8px system-ui, sans-serif; color: #555; width: 100%; padding: 0 12mm; display: flex; justify-content: space-between"><span>drillbook run report ${id}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`;
}
