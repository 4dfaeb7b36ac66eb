import type { Tokens } from 'marked';
import { describe, expect, it } from 'vitest';
import { durationMs, formatDuration } from '../../src/model/duration.js';
import { Slugger } from '../../src/render/markdown/document.js';
import { renderDocuments } from '../../src/render/render-documents.js';
import { find } from './find.js';
import { cellText, headings, lex, listItems, plain, section, shippedInput, tables } from './markdown-tokens.js';

const input = shippedInput();
const { runbook } = input;
const markdown = renderDocuments(input, ['markdown'])[0]?.content ?? '';
const tokens = lex(markdown);
const all = headings(tokens);

describe('render --format markdown: the shipped runbook', () => {
  it('opens with a title block: version, owner, review cadence, last and next review', () => {
    expect(all[0]).toMatchObject({ depth: 1, text: runbook.metadata.title });
    const block = tables(tokens)[0];
    const rows = new Map(
      block?.rows.map((r) => [cellText(r[0] as Tokens.TableCell), cellText(r[1] as Tokens.TableCell)]),
    );
    expect(rows.get('Version')).toBe(runbook.metadata.version);
    expect(rows.get('Owner')).toBe(runbook.metadata.owner);
    expect(rows.get('Review')).toBe(runbook.metadata.review);
    expect(rows.get('Last reviewed')).toBe(runbook.metadata.last_reviewed);
    expect(rows.get('Next review')).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('has every incident, then its phases with budgets, then its steps, in the order of the YAML (rollback in the order it runs)', () => {
    const incidents = all.filter((h) => h.depth === 2 && /^[A-Z]+-\d{3}: /.test(h.text));
    expect(incidents.map((h) => h.text)).toEqual(runbook.incidents.map((i) => `${i.id}: ${i.title}`));
    runbook.incidents.forEach((incident, i) => {
      const inside = headings(section(tokens, incidents[i] ?? { depth: 2, text: '', index: 0 })).map((h) => h.text);
      const phases = inside.filter((t) => /^Phase \d+: /.test(t));
      expect(phases).toEqual(incident.phases.map((p, n) => `Phase ${n + 1}: ${p.title} (${p.budget})`));
      const steps = inside.filter((t) => /^\d+\.\d+ /.test(t));
      expect(steps).toEqual(incident.phases.flatMap((p, n) => p.steps.map((s, m) => `${n + 1}.${m + 1} ${s.title}`)));
      // Rollback steps are an undo stack: numbered in the order they run, the last one written first.
      const rollback = inside.filter((t) => /^R\d+ /.test(t));
      expect(rollback).toEqual([...(incident.rollback ?? [])].reverse().map((s, n) => `R${n + 1} ${s.title}`));
    });
  });

  it('shows every run step as a fenced sh block, and states every check in words', () => {
    const stepHeadings = all.filter((h) => h.depth === 4 && /^(\d+\.\d+|[RAC]\d+) /.test(h.text));
    const byTitle = new Map(
      runbook.incidents
        .flatMap((i) => [
          ...i.phases.flatMap((p) => p.steps),
          ...(i.rollback ?? []),
          ...(i.always ?? []),
          ...(i.cleanup ?? []),
        ])
        .map((s) => [s.title, s]),
    );
    const runs = stepHeadings.flatMap((h) => {
      const step = byTitle.get(h.text.replace(/^\S+ /, ''));
      if (step?.run === undefined) return [];
      // The shell script's first line, or the command's first argument that is not a {{ variable }}.
      const words =
        typeof step.run === 'string'
          ? [step.run.split('\n')[0] ?? '']
          : step.run.map(String).filter((a) => !a.includes('{{'));
      const block = section(tokens, h).find((t): t is Tokens.Code => t.type === 'code');
      return [{ step: h.text, lang: block?.lang, shows: block?.text.includes((words[0] ?? '').trim()) }];
    });
    expect(runs.length).toBeGreaterThan(50);
    expect(runs.filter((r) => r.lang !== 'sh' || r.shows !== true)).toEqual([]);
    const checks = stepHeadings.filter((h) => byTitle.get(h.text.replace(/^\S+ /, ''))?.check !== undefined);
    const unworded = checks.filter(
      (h) =>
        !section(tokens, h).some(
          (t) => t.type === 'paragraph' && plain((t as Tokens.Paragraph).tokens).startsWith('Check: '),
        ),
    );
    expect(checks.length).toBeGreaterThan(30);
    expect(unworded.map((h) => h.text)).toEqual([]);
  });

  it('lists every scenario with its severity, RTO and RPO', () => {
    const rows =
      tables(
        section(
          tokens,
          find(all, (h) => h.text === 'Scenarios', 'Scenarios'),
        ),
      )[0]?.rows ?? [];
    expect(rows.map((r) => r.slice(0, 4).map(cellText))).toEqual(
      runbook.incidents.map((i) => {
        const rpo = i.rpo ?? runbook.objectives.rpo;
        return [`${i.id} ${i.title}`, i.severity.toUpperCase(), i.rto, rpo === 'none' ? 'n/a' : rpo];
      }),
    );
  });

  it('sums phase budgets into a timeline summary against the RTO', () => {
    const summaries = all.filter((h) => h.text === 'Timeline summary');
    expect(summaries).toHaveLength(runbook.incidents.length);
    runbook.incidents.forEach((incident, i) => {
      const rows =
        tables(section(tokens, summaries[i] ?? all[0] ?? { depth: 1, text: '', index: 0 }))[0]?.rows.map((r) =>
          r.map(cellText),
        ) ?? [];
      let cumulative = 0;
      incident.phases.forEach((phase, n) => {
        cumulative += durationMs(phase.budget);
        expect(rows[n]?.slice(0, 3)).toEqual([
          `${n + 1}. ${phase.title}`,
          formatDuration(durationMs(phase.budget)),
          formatDuration(cumulative),
        ]);
      });
      const total = rows.at(-1) ?? [];
      expect(total[0]).toBe('Total');
      expect(total[1]).toBe(formatDuration(cumulative));
      expect(total[4]).toContain(
        cumulative <= durationMs(incident.rto) ? `within RTO ${formatDuration(durationMs(incident.rto))}` : 'OVER RTO',
      );
    });
  });

  it('has RTO/RPO definitions, communication templates and escalation contacts', () => {
    const texts = all.map((h) => h.text);
    expect(texts).toContain('RTO and RPO');
    expect(markdown).toContain(runbook.objectives.rto_definition ?? '');
    expect(all.filter((h) => h.text === 'Escalation')).toHaveLength(runbook.incidents.length);
    const templates = runbook.incidents.flatMap((i) => i.communication ?? []);
    for (const t of templates) expect(markdown).toContain(`(\`${t.id}\``);
  });

  it('links its contents and scenario rows to headings that exist (GitHub anchors)', () => {
    const slugger = new Slugger();
    const anchors = new Set(all.map((h) => slugger.slug(h.text)));
    const links = [...markdown.matchAll(/\]\(#([^)]+)\)/g)].map((m) => m[1] ?? '');
    expect(links.length).toBeGreaterThan(40);
    expect(links.filter((link) => !anchors.has(link))).toEqual([]);
  });

  it('prints checklist items as task items and record fields as blanks', () => {
    const items = listItems(
      section(
        tokens,
        find(all, (h) => h.depth === 2 && h.text === 'Checklists', 'Checklists'),
      ),
    );
    expect(items.length).toBe((runbook.checklists ?? []).reduce((n, c) => n + c.items.length, 0));
    expect(items.every((i) => i.task)).toBe(true);
    expect(markdown).toContain('Validate RTO < 15 minutes — Failover duration: ______ seconds');
  });

  it('is deterministic: the same runbook renders the same bytes', () => {
    expect(renderDocuments(shippedInput(), ['markdown'])[0]?.content).toBe(markdown);
    expect(markdown).not.toContain(new Date().toISOString().slice(0, 10));
  });
});
