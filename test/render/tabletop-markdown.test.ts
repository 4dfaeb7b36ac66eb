import { describe, expect, it } from 'vitest';
import { durationMs } from '../../src/model/duration.js';
import { renderDocuments } from '../../src/render/render-documents.js';
import { agenda, newQuestions } from '../../src/render/tabletop/walkthrough.js';
import { phaseLabel } from '../../src/render/markdown/text.js';
import type { Tokens } from 'marked';
import { find } from './find.js';
import { cellText, headings, lex, section, shippedInput, tables, plain } from './markdown-tokens.js';

const input = shippedInput();
const { runbook } = input;
const guides = renderDocuments(input, ['tabletop']);

describe('render --format tabletop: one facilitator guide per incident', () => {
  it('writes one guide per incident, named after it', () => {
    expect(guides.map((g) => g.name)).toEqual(runbook.incidents.map((i) => `tabletop-${i.id}.md`));
  });

  it.each(runbook.incidents.map((i) => [i.id, i] as const))(
    '%s: scenario card, objectives, roles, timed walkthrough, review, report template',
    (id, incident) => {
      const markdown = guides.find((g) => g.name === `tabletop-${id}.md`)?.content ?? '';
      const tokens = lex(markdown);
      const all = headings(tokens);
      const h2 = all.filter((h) => h.depth === 2).map((h) => h.text);
      expect(h2).toEqual([
        'Contents',
        'Scenario card',
        'Objectives',
        'Participants and roles',
        'Agenda',
        'Walkthrough',
        'Review and improve',
        'Post-drill report template',
      ]);
      // One walkthrough block per phase, in the runbook's order: no phase is filed under a heuristic stage.
      const walk = all
        .filter((h) => h.depth === 3 && / \(T\+[\d:]+ to T\+[\d:]+\)$/.test(h.text))
        .map((h) => h.text.replace(/ \(T\+.*$/, ''));
      expect(walk).toEqual(incident.phases.map((p, i) => phaseLabel(i, p.title)));
      for (const [extra, steps] of [
        ['Rollback', incident.rollback],
        ['Always', incident.always],
        ['Cleanup', incident.cleanup],
      ] as const) {
        expect(all.some((h) => h.depth === 3 && h.text === extra)).toBe((steps?.length ?? 0) > 0);
        for (const step of steps ?? []) expect(markdown).toContain(step.title);
      }

      // Each discussion question appears once, and the runbook's own questions are all asked.
      const numbered = tokens.flatMap((t) =>
        t.type === 'list' && (t as Tokens.List).ordered ? (t as Tokens.List).items.map((i) => plain(i.tokens)) : [],
      );
      expect(numbered.filter((q, i) => numbered.indexOf(q) !== i)).toEqual([]);
      for (const q of incident.phases.flatMap((p) => p.questions ?? [])) expect(numbered).toContain(q);
      for (const inject of incident.tabletop?.injects ?? []) expect(markdown).toContain(inject.text.slice(0, 40));
      for (const q of incident.tabletop?.questions ?? []) expect(markdown).toContain(q.slice(0, 40));

      // The agenda gives each phase exactly its budget, and covers the session exactly.
      const agendaTable = tables(
        section(
          tokens,
          find(all, (h) => h.text === 'Agenda', 'Agenda'),
        ),
      )[0];
      const rows = agendaTable?.rows.map((r) => r.map(cellText)) ?? [];
      for (const [i, phase] of incident.phases.entries())
        expect(find(rows, (r) => r[0] === phaseLabel(i, phase.title), phase.title)[3]).toBe(phase.budget);
      const session = incident.tabletop?.duration ? durationMs(incident.tabletop.duration) : 150 * 60_000;
      expect(rows.reduce((n, r) => n + durationMs(r[3] ?? ''), 0)).toBe(session);

      // Roles are the runbook's own: the exercise's participants, else the runbook's roles.
      const roles =
        tables(
          section(
            tokens,
            find(all, (h) => h.text === 'Participants and roles', 'roles'),
          ),
        )[0]?.rows.map((r) => (r[0] ? cellText(r[0]) : '')) ?? [];
      expect(roles).toEqual((incident.tabletop?.participants ?? runbook.roles ?? []).map((r) => r.role));

      // The post-drill report is a form: headings and tables to fill in, not a block of Markdown source.
      expect(tokens.some((t) => t.type === 'code' && (t as Tokens.Code).lang === 'markdown')).toBe(false);
      const report = find(all, (h) => h.text === `DR drill report: ${id}`, 'report');
      expect(tables(section(tokens, report))[0]?.rows.map((r) => (r[0] ? cellText(r[0]) : ''))).toEqual([
        'Date',
        'Drill type',
        'Duration',
        'Overall result',
      ]);
      const metrics = tables(
        section(
          tokens,
          find(all, (h) => h.depth === 4 && h.text === 'Metrics' && h.index > report.index, 'metrics'),
        ),
      )[0];
      expect(metrics?.rows[0]?.map(cellText)).toEqual(['RTO (walked-through time)', incident.rto, '']);
    },
  );

  it('walks a drill whose phases are the session (15/30/30/15 plus preparation and review) on exactly those budgets', () => {
    const drills = shippedInput('playbooks/corporate-intel-drills.yaml');
    const ttx = find(drills.runbook.incidents, (i) => i.id === 'TTX-001', 'TTX-001');
    const slots = agenda(ttx);
    expect(slots.map((s) => s.kind)).toEqual(ttx.phases.map(() => 'phase'));
    expect(slots.map((s) => (s.endMs - s.startMs) / 60_000)).toEqual([30, 15, 30, 30, 15, 60]);
  });

  it('gives the time the phases leave to a briefing (at most a tenth of the session) and the review', () => {
    const inc3 = find(runbook.incidents, (i) => i.id === 'INC-003', 'INC-003');
    const slots = agenda(inc3);
    expect(slots[0]).toMatchObject({ kind: 'briefing', startMs: 0, endMs: 9 * 60_000 });
    expect(slots.at(-1)).toMatchObject({ kind: 'review', endMs: durationMs(inc3.tabletop?.duration ?? '') });
    expect(slots.filter((s) => s.kind === 'phase').map((s) => s.length)).toEqual(inc3.phases.map((p) => p.budget));
  });

  it('asks each question once: a question already asked in other words is dropped', () => {
    const asked = new Set<string>();
    expect(
      newQuestions(
        ['Who receives the alert, and how do we assess severity?', 'What is the plan? Who decides?', 'Who decides?'],
        asked,
      ),
    ).toEqual(['Who receives the alert, and how do we assess severity?', 'What is the plan? Who decides?']);
    expect(
      newQuestions(
        [
          'Who receives the alert?',
          'How do we assess severity?',
          'who decides',
          'What data do we need?',
          'What is the plan? Why?',
        ],
        asked,
      ),
    ).toEqual(['What data do we need?', 'What is the plan? Why?']);
  });
});
