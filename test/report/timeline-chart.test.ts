import { describe, expect, it } from 'vitest';
import { buildReport, type Report } from '../../src/report/build-report.js';
import { fakeJournal } from '../helpers/journals.js';
import { timelineChart } from '../../src/report/timeline-chart.js';

/** A report rebuilt from a journal, so the chart draws what the verdict decided. */
function run(
  phases: Report['phases'],
  mode = 'auto',
  measuredMs: number | null = 250_000,
  outcome: 'recovered' | 'simulated' | 'failed' = mode === 'simulate' ? 'simulated' : 'recovered',
): Report {
  return buildReport(
    fakeJournal({
      runId: 'r',
      incident: 'INC-001',
      mode,
      outcome,
      ttrMs: measuredMs,
      rtoMs: 300_000,
      startedAt: '2026-01-01T00:00:00.000Z',
      phases,
    }),
  );
}

describe('timeline chart (inline SVG)', () => {
  const svg = timelineChart(
    run([
      { id: 'detect', title: 'Detect <primary>', budgetMs: 60_000, actualMs: 45_000, overrun: false, steps: [] },
      { id: 'promote', title: 'Promote', budgetMs: 120_000, actualMs: 150_000, overrun: true, steps: [] },
      { id: 'verify', title: 'Verify', budgetMs: 60_000, actualMs: null, overrun: false, steps: [] },
    ]),
  );

  it('draws one row per phase, overruns in red, a phase not reached as such', () => {
    expect(svg.match(/<g class="phase"/g)).toHaveLength(3);
    expect(svg).toMatch(/<g class="phase" data-phase="promote" data-overrun="true">[\s\S]*?fill="#c62828"/);
    expect(svg).not.toMatch(
      /<g class="phase" data-phase="detect"[^]*?fill="#c62828"[^]*?<\/g>\n<g class="phase" data-phase="promote"/,
    );
    expect(svg).toMatch(/data-phase="verify"[\s\S]*?not reached/);
  });

  it('marks the RTO and the measured recovery, and escapes phase titles', () => {
    expect(svg).toContain('RTO 5m');
    expect(svg).toContain('recovered 4m10s');
    expect(svg).toContain('Detect &lt;primary&gt;');
    expect(svg).not.toContain('<primary>');
  });

  it('says "projected" for a simulation', () => {
    const simulated = timelineChart(
      run([{ id: 'a', title: 'A', budgetMs: 60_000, actualMs: 30_000, overrun: false, steps: [] }], 'simulate', 30_000),
    );
    expect(simulated).toContain('projected 30s');
    expect(simulated).toContain('>projected</text>');
  });

  it('draws no recovery line for a run that did not recover, and a red one for a recovery past the RTO', () => {
    const phase = [{ id: 'a', title: 'A', budgetMs: 60_000, actualMs: 30_000, overrun: false, steps: [] }];
    expect(timelineChart(run(phase, 'auto', 30_000, 'failed'))).not.toContain('recovered-line');
    expect(timelineChart(run(phase, 'simulate', 30_000, 'failed'))).not.toContain('recovered-line');
    const late = timelineChart(run(phase, 'auto', 400_000));
    expect(late).toMatch(/<g class="recovered-line"><line [^>]*stroke="#c62828"/);
    expect(late).toContain('recovered 6m40s (over RTO)');
    expect(svg).toMatch(/<g class="recovered-line"><line [^>]*stroke="#2e7d32"/);
  });
});
