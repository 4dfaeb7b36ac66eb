import { describe, expect, it } from 'vitest';
import { durationMs } from '../../src/model/duration.js';
import { renderDocuments } from '../../src/render/render-documents.js';
import { agenda, phasesByStage } from '../../src/render/tabletop/walkthrough.js';
import { find } from './find.js';
import { cellText, headings, lex, listItems, section, shippedInput, tables, plain } from './markdown-tokens.js';

const input = shippedInput();
const { runbook } = input;
const guides = renderDocuments(input, ['tabletop']);

describe('render --format tabletop: one facilitator guide per incident', () => {
  it('writes one guide per incident, named after it', () => {
    expect(guides.map((g) => g.name)).toEqual(runbook.incidents.map((i) => `tabletop-${i.id}.md`));
  });

  it.each(runbook.incidents.map((i) => [i.id, i] as const))('%s: scenario card, objectives, roles, timed walkthrough, review, report template', (id, incident) => {
    const markdown = guides.find((g) => g.name === `tabletop-${id}.md`)?.content ?? '';
    const tokens = lex(markdown);
    const all = headings(tokens);
    const h2 = all.filter((h) => h.depth === 2).map((h) => h.text);
    expect(h2).toEqual(['Contents', 'Scenario card', 'Objectives', 'Participants and roles', 'Agenda', 'Walkthrough', 'Review and improve', 'Post-drill report template']);
    const walk = all.filter((h) => h.depth === 3 && /^\d\. /.test(h.text)).map((h) => h.text.replace(/ \(.*$/, ''));
    expect(walk).toEqual(['1. Detection', '2. Assessment', '3. Recovery', '4. Communication']);

    // Every phase is discussed exactly once, in order, and its questions are asked.
    const discussed = [...markdown.matchAll(/^\*\*Phase (\d+): /gm)].map((m) => Number(m[1]));
    expect(discussed).toEqual(incident.phases.map((_, i) => i + 1));
    const questions = listItems(all.filter((h) => h.depth === 3 && /^\d\. /.test(h.text)).flatMap((h) => section(tokens, h))).map((i) => plain(i.tokens));
    for (const q of incident.phases.flatMap((p) => p.questions ?? [])) expect(questions).toContain(q);
    for (const inject of incident.tabletop?.injects ?? []) expect(markdown).toContain(inject.text.slice(0, 40));
    for (const q of incident.tabletop?.questions ?? []) expect(markdown).toContain(q.slice(0, 40));

    // The agenda covers the session exactly.
    const agendaTable = tables(section(tokens, find(all, (h) => h.text === 'Agenda', 'Agenda')))[0];
    const lengths = agendaTable?.rows.map((r) => Number.parseInt(r[3] ? cellText(r[3]) : '', 10)) ?? [];
    const session = incident.tabletop?.duration ? durationMs(incident.tabletop.duration) / 60_000 : 150;
    expect(lengths.reduce((n, v) => n + v, 0)).toBe(session);

    const template = tokens.find((t) => t.type === 'code' && (t as { lang?: string }).lang === 'markdown') as { text: string } | undefined;
    expect(template?.text).toContain(`# DR Drill Report - ${id} - [DATE]`);
    expect(template?.text).toContain(`- RTO Target: ${incident.rto}`);
  });

  it('splits a walkthrough the way the seeds do: 15/30/30/15 of the walkthrough, plus briefing and review', () => {
    expect(agenda(150 * 60_000).map((s) => s.endMin - s.startMin)).toEqual([15, 15, 30, 30, 15, 45]);
  });

  it('puts the phases that change the system in recovery and closing status phases in communication', () => {
    const inc3 = find(runbook.incidents, (i) => i.id === 'INC-003', 'INC-003');
    const stages = phasesByStage(inc3.phases);
    expect(stages.detection).toEqual([0]);
    expect(stages.recovery[0]).toBe(inc3.phases.findIndex((p, i) => i > 0 && p.steps.some((s) => s.confirm === true)));
    expect([...stages.detection, ...stages.assessment, ...stages.recovery, ...stages.communication]).toEqual(inc3.phases.map((_, i) => i));
  });
});
