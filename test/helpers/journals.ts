import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalEvent } from '../../src/journal/events.js';

export interface FakeRun {
  runId: string;
  incident: string;
  runbook?: string;
  runbookFile?: string;
  mode?: string;
  startedAt: string;
  /** The outcome the walk recorded; the verdict judges it again from the facts. */
  outcome: 'recovered' | 'simulated' | 'failed' | 'rolled-back' | 'aborted' | 'interrupted' | 'not-recovered' | null;
  ttrMs?: number | null;
  rtoMs?: number;
  rpoMs?: number | null;
  rpoTargetMs?: number | null;
  phases?: { id: string; title: string; budgetMs: number; actualMs: number | null }[];
}

/**
 * A journal as a run writes it, reduced to what the verdict reads (start, phases, finish): for tests of
 * history and charts over many runs without spending minutes running them.
 */
export function fakeJournal(r: FakeRun): JournalEvent[] {
  const simulated = (r.mode ?? 'auto') === 'simulate';
  const at = (t: number) => new Date(Date.parse(r.startedAt) + t).toISOString();
  const ttr = r.ttrMs ?? null;
  const events: JournalEvent[] = [
    {
      at: at(0),
      t: 0,
      type: 'run-started',
      runId: r.runId,
      mode: r.mode ?? 'auto',
      operator: 'test',
      environment: 'lab',
      incident: {
        id: r.incident,
        title: `${r.incident} title`,
        severity: 'high',
        rtoMs: r.rtoMs ?? 600_000,
        rpoMs: r.rpoTargetMs === undefined ? 300_000 : r.rpoTargetMs,
      },
      runbook: { file: r.runbookFile ?? 'none.yaml', name: r.runbook ?? 'rb', version: '1.0.0', sha256: 'x' },
      variables: {},
      phases: (r.phases ?? []).map((p) => ({ id: p.id, title: p.title, budgetMs: p.budgetMs, steps: [] })),
    },
  ];
  for (const p of r.phases ?? []) {
    if (p.actualMs !== null)
      events.push({
        at: at(0),
        t: 0,
        type: 'phase-finished',
        phase: p.id,
        durationMs: p.actualMs,
        budgetMs: p.budgetMs,
        overrun: p.actualMs > p.budgetMs,
      });
  }
  if (r.outcome !== null) {
    events.push({
      at: at(ttr ?? 1000),
      t: ttr ?? 1000,
      type: 'run-finished',
      outcome: r.outcome,
      exitCode: 0,
      rto: {
        targetMs: r.rtoMs ?? 600_000,
        measuredMs: simulated ? null : ttr,
        projectedMs: simulated ? ttr : null,
        met: true,
      },
      rpo: { targetMs: 300_000, measuredMs: r.rpoMs ?? null, met: true },
    });
  }
  return events;
}

/** Writes fake runs into a DRILLBOOK_HOME, as if they had run there. */
export function writeRuns(home: string, runs: FakeRun[]): void {
  for (const r of runs) {
    const dir = join(home, 'runs', r.runId);
    mkdirSync(dir, { recursive: true });
    writeFileSync(
      join(dir, 'journal.jsonl'),
      `${fakeJournal(r)
        .map((e) => JSON.stringify(e))
        .join('\n')}\n`,
    );
  }
}
