import { checklistMarkdown } from './checklists/checklist-document.js';
import { markdownToHtmlPage } from './html/markdown-html.js';
import { incidentViews, type RenderInput } from './render-input.js';
import { runbookMarkdown } from './runbook/runbook-markdown.js';
import { tabletopMarkdown } from './tabletop/tabletop-markdown.js';

export const RENDER_FORMATS = ['markdown', 'checklist', 'html', 'tabletop'] as const;
export type RenderFormat = (typeof RENDER_FORMATS)[number];

/** One output file: its name inside the output folder and its full text. */
export interface RenderedFile {
  name: string;
  content: string;
}

/**
 * Every document of the requested formats, in a fixed order with fixed names, so `render --out` writes
 * the same files every time and `--check` can compare them byte for byte. `html` is the HTML twin of
 * each Markdown document.
 */
export function renderDocuments(
  input: RenderInput,
  formats: readonly RenderFormat[],
  incident?: string,
): RenderedFile[] {
  const views = incidentViews(input, incident);
  const suffix = incident ? `-${incident}` : '';
  const markdown: { format: Exclude<RenderFormat, 'html'>; name: string; title: string; content: () => string }[] = [
    {
      format: 'markdown',
      name: `runbook${suffix}`,
      title: input.runbook.metadata.title,
      content: () => runbookMarkdown(input, views, incident),
    },
    {
      format: 'checklist',
      name: `checklists${suffix}`,
      title: `Checklists: ${input.runbook.metadata.title}`,
      content: () => checklistMarkdown(input, views, incident),
    },
    ...views.map((view) => ({
      format: 'tabletop' as const,
      name: `tabletop-${view.incident.id}`,
      title: `Tabletop exercise: ${view.incident.id} ${view.incident.title}`,
      content: () => tabletopMarkdown(input, view),
    })),
  ];
  const files: RenderedFile[] = [];
  for (const doc of markdown) {
    const wantMarkdown = formats.includes(doc.format);
    const wantHtml = formats.includes('html');
    if (!wantMarkdown && !wantHtml) continue;
    const text = doc.content();
    if (wantMarkdown) files.push({ name: `${doc.name}.md`, content: text });
    if (wantHtml) files.push({ name: `${doc.name}.html`, content: markdownToHtmlPage(text, doc.title) });
  }
  return files;
}
