import { describe, expect, it } from 'vitest';
import type { EventBody, JournalEvent } from '../../src/journal/events.js';
import type { JournalWriter } from '../../src/journal/journal-writer.js';
import type { Decision, FailureChoice, ModePolicy } from '../../src/execute/mode-policy.js';
import { simulatePolicy } from '../../src/execute/mode-policy.js';
import { RunStopRequest, runIncident } from '../../src/execute/run-incident.js';
import { RunVariables } from '../../src/execute/variables.js';
import type { Plan, PlanStep } from '../../src/plan/plan-types.js';

/** A journal that keeps events in memory: the walk needs nothing else of it. */
class MemoryJournal implements JournalWriter {
  readonly events: JournalEvent[] = [];
  append(body: EventBody): JournalEvent {
    const event = { at: new Date().toISOString(), t: 0, ...body };
    this.events.push(event);
    return event;
  }
  types(): string[] {
    return this.events.map((e) =>
      'step' in e
        ? `${e.type}:${e.step}`
        : 'section' in e
          ? `${e.type}:${e.section}`
          : 'phase' in e
            ? `${e.type}:${e.phase}`
            : e.type,
    );
  }
}

/** A policy whose person answers from a script: what to do before each step, and after each failure. */
function fakePolicy(script: {
  before?: Record<string, Decision>;
  after?: Record<string, FailureChoice[]>;
  onStep?: (id: string) => void;
}): ModePolicy & { asked: string[] } {
  const asked: string[] = [];
  return {
    mode: 'interactive',
    executes: true,
    actor: 'tester',
    asked,
    beforeStep(step) {
      asked.push(step.id);
      script.onStep?.(step.id);
      return Promise.resolve(script.before?.[step.id] ?? { action: 'recorded', status: 'passed' });
    },
    afterFailure(step) {
      return Promise.resolve(script.after?.[step.id]?.shift() ?? 'default');
    },
    resolveUnknown: () => Promise.resolve({ action: 'recorded', status: 'passed' }),
    announce: () => undefined,
  };
}

function manual(id: string, extra: Partial<PlanStep> = {}): PlanStep {
  return {
    id,
    title: id,
    kind: 'manual',
    section: 'phase',
    phase: 'p1',
    manual: `do ${id}`,
    verify: [],
    estimateMs: 60_000,
    timeoutMs: null,
    retries: 0,
    delayMs: 0,
    confirm: false,
    onFailure: 'abort',
    ...extra,
  };
}

function plan(over: Partial<Plan> = {}): Plan {
  return {
    planVersion: 1,
    runbook: { file: 'x.yaml', name: 'x', title: 'X', version: '1', sha256: 'abc' },
    environment: 'test',
    incident: {
      id: 'INC-900',
      title: 'Walk',
      severity: 'low',
      type: 'incident',
      rto: '10m',
      rtoMs: 600_000,
      rpo: null,
      rpoMs: null,
      rpoMeasure: null,
      triggers: [],
    },
    variables: {},
    secrets: [],
    phases: [
      {
        id: 'p1',
        title: 'One',
        budget: '5m',
        budgetMs: 300_000,
        outsideRto: false,
        steps: [manual('a'), manual('b', { onFailure: 'rollback' })],
      },
      {
        id: 'p2',
        title: 'Two',
        budget: '1m',
        budgetMs: 60_000,
        outsideRto: false,
        steps: [manual('c', { phase: 'p2' })],
      },
    ],
    rollback: [manual('r1', { section: 'rollback', phase: null }), manual('r2', { section: 'rollback', phase: null })],
    always: [manual('z', { section: 'always', phase: null })],
    cleanup: [manual('k', { section: 'cleanup', phase: null })],
    recovered: [],
    communication: [],
    comms: { escalation: [], statusUpdates: null, channels: {}, smtp: null },
    ...over,
  };
}

async function walk(p: Plan, policy: ModePolicy, signal = new AbortController().signal) {
  const journal = new MemoryJournal();
  const summary = await runIncident({
    plan: p,
    policy,
    journal,
    runId: 'run-1',
    operator: 'tester',
    signal,
    variables: RunVariables.forPlan(p, { executes: policy.executes }),
  });
  return { summary, journal };
}

describe('the walk, with a fake policy and an in-memory journal', () => {
  it('walks phases in order, checks recovery, then cleanup and always', async () => {
    const { summary, journal } = await walk(plan(), fakePolicy({}));
    expect(summary).toEqual({ outcome: 'recovered', exitCode: 0 });
    expect(journal.types()).toEqual([
      'run-started',
      'phase-started:p1',
      'decision:a',
      'step-finished:a',
      'decision:b',
      'step-finished:b',
      'phase-finished:p1',
      'phase-started:p2',
      'decision:c',
      'step-finished:c',
      'phase-finished:p2',
      'recovery-check',
      'section-started:cleanup',
      'decision:k',
      'step-finished:k',
      'section-started:always',
      'decision:z',
      'step-finished:z',
      'run-finished',
    ]);
  });

  it('a failure asking for rollback runs the undo stack bottom-up, skips cleanup, runs always', async () => {
    const { summary, journal } = await walk(
      plan(),
      fakePolicy({ before: { b: { action: 'recorded', status: 'failed', note: 'broke' } } }),
    );
    expect(summary).toEqual({ outcome: 'rolled-back', exitCode: 1 });
    const finished = journal.types().filter((t) => t.startsWith('step-finished'));
    expect(finished).toEqual([
      'step-finished:a',
      'step-finished:b',
      'step-finished:r2',
      'step-finished:r1',
      'step-finished:z',
    ]);
    expect(journal.types()).not.toContain('phase-started:p2');
  });

  it('a retry runs the step again without asking twice, and the choice is journaled once', async () => {
    const policy = fakePolicy({ before: { a: { action: 'execute' } }, after: { a: ['retry'] } });
    let first = true;
    const failing = plan();
    // The first attempt fails (a recorded failure), the retry runs the manual executor, which passes.
    policy.beforeStep = (step) => {
      policy.asked.push(step.id);
      if (step.id === 'a' && first) {
        first = false;
        return Promise.resolve({ action: 'recorded', status: 'failed' });
      }
      return Promise.resolve({ action: 'recorded', status: 'passed' });
    };
    const { summary, journal } = await walk(failing, policy);
    expect(summary.outcome).toBe('recovered');
    expect(policy.asked.filter((id) => id === 'a')).toHaveLength(1);
    expect(journal.events.filter((e) => e.type === 'decision' && e.step === 'a' && e.choice === 'retry')).toHaveLength(
      1,
    );
    const results = journal.events.filter((e) => e.type === 'step-finished' && e.step === 'a');
    expect(results.map((e) => (e.type === 'step-finished' ? e.result.status : ''))).toEqual(['failed', 'passed']);
  });

  it('an abort from outside stops before the next step, names the reason and exit code, and leaves always for the resume', async () => {
    const controller = new AbortController();
    const policy = fakePolicy({
      onStep: (id) => {
        if (id === 'b') controller.abort(new RunStopRequest('interrupted by SIGTERM', 143));
      },
    });
    const { summary, journal } = await walk(plan(), policy, controller.signal);
    expect(summary).toEqual({ outcome: 'interrupted', exitCode: 143 });
    expect(journal.types()).not.toContain('section-started:always');
    expect(journal.events.at(-1)).toMatchObject({ type: 'run-finished', reason: 'interrupted by SIGTERM' });
  });

  it('simulate projects the clock from estimates and flags a phase whose estimates pass its budget', async () => {
    const { summary, journal } = await walk(plan(), { ...simulatePolicy(undefined) });
    expect(summary.outcome).toBe('simulated');
    const p2 = journal.events.find((e) => e.type === 'phase-finished' && e.phase === 'p2');
    expect(p2).toMatchObject({ durationMs: 60_000, overrun: false });
    const over = plan({
      phases: [
        {
          id: 'p1',
          title: 'One',
          budget: '1m',
          budgetMs: 60_000,
          outsideRto: false,
          steps: [manual('a'), manual('b')],
        },
      ],
    });
    const projected = await walk(over, simulatePolicy(undefined));
    expect(projected.journal.events.find((e) => e.type === 'overrun')).toMatchObject({ scope: 'phase', id: 'p1' });
    expect(projected.journal.events.find((e) => e.type === 'phase-finished')).toMatchObject({
      durationMs: 120_000,
      overrun: true,
    });
  });

  it('on_failure continue goes on; abort ends the phases as failed and still runs always', async () => {
    const cont = plan({
      phases: [
        {
          id: 'p1',
          title: 'One',
          budget: '5m',
          budgetMs: 300_000,
          outsideRto: false,
          steps: [manual('a', { onFailure: 'continue' }), manual('b')],
        },
      ],
    });
    const c = await walk(cont, fakePolicy({ before: { a: { action: 'recorded', status: 'failed' } } }));
    expect(c.summary.outcome).toBe('recovered');
    const ab = await walk(plan(), fakePolicy({ before: { a: { action: 'recorded', status: 'failed' } } }));
    expect(ab.summary).toEqual({ outcome: 'failed', exitCode: 1 });
    expect(ab.journal.types()).toContain('step-finished:z');
    expect(ab.journal.types()).not.toContain('step-finished:b');
  });
});
