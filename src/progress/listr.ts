import { Listr, type ListrTask } from 'listr2';
import type { JournalEvent } from '../journal/events.js';
import type { StepResult } from '../execute/step-result.js';
import { formatDuration } from '../model/duration.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
import type { Progress } from './progress.js';
import { planSections } from '../plan/plan-sections.js';

/** A value that arrives later, keyed by id: the walk runs ahead of the display. */
class Mailbox<T> {
  private readonly boxes = new Map<string, { promise: Promise<T | undefined>; settle: (v: T | undefined) => void }>();

  private box(id: string) {
    let entry = this.boxes.get(id);
    if (!entry) {
      let settle: (v: T | undefined) => void = () => undefined;
      const promise = new Promise<T | undefined>((resolve) => { settle = resolve; });
      entry = { promise, settle };
      this.boxes.set(id, entry);
    }
    return entry;
  }

  take(id: string): Promise<T | undefined> {
    return this.box(id).promise;
  }

  put(id: string, value: T | undefined): void {
    this.box(id).settle(value);
  }
}

/**
 * Live progress for a terminal: phase -> step nesting with time against budget. Listr2 does not
 * drive the run; it mirrors the journal: each task waits for its step's `step-finished` event,
 * so the walk in run-incident.ts stays the only code path.
 */
export function listrProgress(plan: Plan, write: (line: string) => void): Progress {
  const results = new Mailbox<StepResult>();
  const phaseTitles = new Mailbox<string>();
  const announcements = new Map<string, string>();
  let simulate = false;

  const stepTask = (step: PlanStep, last: { phaseId: string; setTitle: (t: string) => void } | undefined): ListrTask => ({
    title: step.title,
    rendererOptions: { persistentOutput: true },
    task: async (_ctx, task) => {
      const result = await results.take(step.id);
      const said = announcements.get(step.id);
      if (said) task.output = said;
      if (last) {
        const title = await phaseTitles.take(last.phaseId);
        if (title) last.setTitle(title);
      }
      if (!result) { task.skip(`${step.title} (not reached)`); return; }
      if (result.status === 'skipped') { task.skip(`${step.title} (skipped: ${result.note ?? ''})`); return; }
      const time = result.projectedMs !== undefined ? `~${formatDuration(result.projectedMs)}` : formatDuration(result.durationMs);
      task.title = `${step.title} ${time}`;
      if (['failed', 'timed-out', 'unknown'].includes(result.status)) throw new Error(`${step.title}: ${result.status} ${result.error ?? ''}`);
    },
  });
  const group = (title: string, steps: PlanStep[], phaseId?: string): ListrTask => ({
    title,
    task: (_ctx, task) => {
      const setTitle = (t: string) => { task.title = t; };
      return task.newListr(steps.map((s, i) => stepTask(s, phaseId && i === steps.length - 1 ? { phaseId, setTitle } : undefined)), { exitOnError: false });
    },
  });
  const sections = planSections(plan);
  const tasks = sections.map((s) => (s.budgetMs === null ? group(s.title, s.steps) : group(`${s.title} (budget ${formatDuration(s.budgetMs)})`, s.steps, s.id)));
  const list = new Listr(tasks, { exitOnError: false, rendererOptions: { collapseSubtasks: false } });
  let running: Promise<unknown> = Promise.resolve();
  // Lines for after the live display: the verdict is printed once Listr2 has let go of the terminal.
  const after: string[] = [];
  const allSteps = sections.flatMap((s) => s.steps);
  return {
    onEvent(e: JournalEvent) {
      switch (e.type) {
        case 'run-started':
          simulate = e.mode === 'simulate';
          write(`${e.incident.id} ${e.incident.title} — mode ${e.mode}, env ${e.environment}, RTO ${formatDuration(e.incident.rtoMs)}, run ${e.runId}`);
          running = list.run().catch(() => undefined);
          break;
        case 'recovery-check':
          after.push(`recovered condition: ${e.ok ? 'holds' : 'does NOT hold'}`, ...e.checks.map((c) => `  ${c.ok ? 'ok' : 'FAIL'} ${c.description}${c.error ? ` — ${c.error}` : ''}`));
          break;
        case 'step-finished':
          results.put(e.step, e.result);
          break;
        case 'phase-finished': {
          const title = plan.phases.find((p) => p.id === e.phase)?.title ?? e.phase;
          phaseTitles.put(e.phase, `${title}: ${simulate ? 'projected' : 'took'} ${formatDuration(e.durationMs)} of ${formatDuration(e.budgetMs)}${e.overrun ? ' — OVER BUDGET' : ''}`);
          break;
        }
        case 'run-finished':
          after.push(`${e.outcome.toUpperCase()} (exit ${e.exitCode})${e.reason ? `: ${e.reason}` : ''}`);
          for (const step of allSteps) results.put(step.id, undefined);
          for (const phase of plan.phases) phaseTitles.put(phase.id, undefined);
          break;
        default:
          break;
      }
    },
    announce(stepId, text) {
      announcements.set(stepId, text);
    },
    close: async () => {
      await running;
      for (const line of after) write(line);
    },
  };
}
