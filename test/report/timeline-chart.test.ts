import { describe, expect, it } from 'vitest';
import type { Report } from '../../src/report/build-report.js';
import { timelineChart } from '../../src/report/timeline-chart.js';

function run(phases: Report['phases'], mode = 'auto', measuredMs: number | null = 250_000): Report {
  return {
    reportVersion: 1, runId: 'r', incident: { id: 'INC-001', title: 't', severity: 'high' }, mode, environment: 'lab', operator: 'o',
    runbook: { file: 'f', name: 'n', version: '1', sha256: 'x' }, startedAt: '', finishedAt: null, durationMs: 0, outcome: 'recovered', exitCode: 0, reason: null,
    rto: { targetMs: 300_000, measuredMs: mode === 'simulate' ? null : measuredMs, projectedMs: mode === 'simulate' ? measuredMs : null, met: true },
    rpo: { targetMs: null, measuredMs: null, met: null }, phases, steps: [], decisions: [], notifications: [], recovery: null, overruns: [],
    documentation: { date: '', type: '', start: '', end: null, durationMs: 0, rtoMet: null, rpoMet: null, issues: [], remediation: '' },
  };
}

describe('timeline chart (inline SVG)', () => {
  const svg = timelineChart(run([
    { id: 'detect', title: 'Detect <primary>', budgetMs: 60_000, actualMs: 45_000, overrun: false, steps: [] },
    { id: 'promote', title: 'Promote', budgetMs: 120_000, actualMs: 150_000, overrun: true, steps: [] },
    { id: 'verify', title: 'Verify', budgetMs: 60_000, actualMs: null, overrun: false, steps: [] },
  ]));

  it('draws one row per phase, overruns in red, a phase not reached as such', () => {
    expect(svg.match(/<g class="phase"/g)).toHaveLength(3);
    expect(svg).toMatch(/<g class="phase" data-phase="promote" data-overrun="true">[\s\S]*?fill="#c62828"/);
    expect(svg).not.toMatch(/<g class="phase" data-phase="detect"[^]*?fill="#c62828"[^]*?<\/g>\n<g class="phase" data-phase="promote"/);
    expect(svg).toMatch(/data-phase="verify"[\s\S]*?not reached/);
  });

  it('marks the RTO and the measured recovery, and escapes phase titles', () => {
    expect(svg).toContain('RTO 5m');
    expect(svg).toContain('recovered 4m10s');
    expect(svg).toContain('Detect &lt;primary&gt;');
    expect(svg).not.toContain('<primary>');
  });

  it('says "projected" for a simulation', () => {
    const simulated = timelineChart(run([{ id: 'a', title: 'A', budgetMs: 60_000, actualMs: 30_000, overrun: false, steps: [] }], 'simulate', 30_000));
    expect(simulated).toContain('projected 30s');
    expect(simulated).toContain('>projected</text>');
  });
});
