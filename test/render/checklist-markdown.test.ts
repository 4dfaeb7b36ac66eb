import type { Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import type { ChecklistItem } from '../../src/model/runbook.js';
import { renderDocuments } from '../../src/render/render-documents.js';
import { incidentViews } from '../../src/render/render-input.js';
import { commandText } from '../../src/render/runbook/step-markdown.js';
import { find } from './find.js';
import { headings, lex, listItems, plain, section, shippedInput } from './markdown-tokens.js';

const input = shippedInput();
const { runbook } = input;
const markdown = renderDocuments(input, ['checklist'])[0]?.content ?? '';
const tokens = lex(markdown);
const all = headings(tokens);

/** The item as the document should read: the text, then the blank for a value to record. */
function expected(item: ChecklistItem): string {
  if (typeof item === 'string') return item;
  return item.record ? `${item.item} — ${item.record}: ______${item.unit ? ` ${item.unit}` : ''}` : item.item;
}

describe('render --format checklist', () => {
  it('makes every list item in the document a task item', () => {
    const items = listItems(tokens);
    expect(items.length).toBeGreaterThan(300);
    const notTasks = items.filter((i) => !i.task).map((i) => i.text);
    // Only the table of contents is a plain list.
    const contents = listItems(
      section(
        tokens,
        find(all, (h) => h.text === 'Contents', 'Contents'),
      ),
    ).map((i) => i.text);
    expect(notTasks).toEqual(contents);
  });

  it('has every checklist of the runbook, grouped by stage, items in order with fill-in fields', () => {
    for (const stage of ['Pre-disaster', 'Active incident', 'Post-recovery'])
      expect(all.some((h) => h.depth === 2 && h.text === stage)).toBe(true);
    const shown = (runbook.checklists ?? []).map((c) => ({
      id: c.id,
      items: listItems(
        section(
          tokens,
          find(all, (h) => h.depth === 3 && h.text === c.title, c.title),
        ),
      ).map((i) => plain(i.tokens).trim()),
    }));
    expect(shown).toEqual((runbook.checklists ?? []).map((c) => ({ id: c.id, items: c.items.map(expected) })));
  });

  it("asks to record the seeds' metrics as blanks with their unit", () => {
    expect(markdown).toContain('- [ ] Validate RTO < 15 minutes — Failover duration: ______ seconds');
    expect(markdown).toContain('- [ ] Service reconnection time — Service reconnection time: ______ seconds');
  });

  it('adds one step checklist per incident, every step a task in walk order', () => {
    for (const incident of runbook.incidents) {
      const listed = listItems(
        section(
          tokens,
          find(all, (h) => h.depth === 3 && h.text === `${incident.id} ${incident.title}`, incident.id),
        ),
      );
      const items = listed.map((i) => plain(i.tokens.filter((t) => t.type !== 'code')));
      const steps = items
        .filter((t) => /^\d+\.\d+ /.test(t))
        .map((t) => t.replace(/ \(needs approval\).*$| — .*$/, ''));
      expect(steps).toEqual(incident.phases.flatMap((p, n) => p.steps.map((s, m) => `${n + 1}.${m + 1} ${s.title}`)));
      // A step that runs a command shows it as a code block under its tick box, as the runbook writes it.
      const view = find(incidentViews(input, incident.id), () => true, incident.id);
      const commands = listed.flatMap((i) =>
        i.tokens.filter((t): t is Tokens.Code => t.type === 'code').map((t) => t.text),
      );
      const runSteps = incident.phases
        .flatMap((p) => p.steps)
        .map((s) => commandText(view.step(s.id)))
        .filter((c) => c !== undefined);
      expect(runSteps.length).toBeGreaterThan(0);
      for (const command of runSteps) expect(commands).toContain(command);
      const metrics = (incident.metrics ?? []).map((m) => m.name);
      expect(metrics.filter((name) => !items.some((t) => t.startsWith(`${name}: ______`)))).toEqual([]);
    }
  });

  it('renders only the chosen incident with --incident', () => {
    const only = renderDocuments(input, ['checklist'], 'INC-001')[0];
    expect(only?.name).toBe('checklists-INC-001.md');
    expect(only?.content).toContain('### INC-001 Backend service failure');
    expect(only?.content).not.toContain('### INC-003 ');
    // INC-003's per-phase checklists belong to INC-003 only.
    expect(only?.content).not.toContain('Phase 3: Promotion (minutes 4-7)');
  });
});
