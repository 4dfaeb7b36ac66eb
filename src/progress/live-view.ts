import type { ListrTask, ListrTaskWrapper } from 'listr2';
import type { JournalEvent } from '../journal/events.js';
import type { StepResult } from '../model/step-result.js';
import { formatDuration } from '../model/duration.js';
import { planSections, type WalkSection } from '../plan/plan-sections.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
import { paintVerdict, type Paint } from './colour.js';
import { outputTail } from './output-tail.js';
import { Mailbox } from './mailbox.js';
import { commsText } from './comms-text.js';
import { clockLine, overrunText, type ClockState } from './run-clock.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Listr's wrapper is generic over its renderers
type Task = ListrTaskWrapper<any, any, any>;
const TICK_MS = 1000;

/** The live view's state, fed by journal events and a one-second tick. */
export class LiveView {
  readonly announcements = new Map<string, string>();
  /** What a step waits for before it runs (a second person's approval), shown in its live title. */
  readonly waiting = new Map<string, string>();
  /** Lines for after the live display: printed once Listr2 has let go of the terminal. */
  readonly after: string[] = [];
  private readonly results = new Mailbox<StepResult>();
  private readonly starts = new Mailbox<number>();
  private readonly phaseEnds = new Mailbox<JournalEvent & { type: 'phase-finished' }>();
  private readonly runEnd = new Mailbox<number>();
  private readonly clock: ClockState;
  private readonly ticking = new Set<() => void>();
  private timer: NodeJS.Timeout | undefined;
  private verdict = 'no verdict: the run ended without one';
  /** Escalations, status updates and deliveries so far: the latest show under the clock. */
  private readonly comms: string[] = [];

  constructor(
    private readonly plan: Plan,
    private readonly paint: Paint,
  ) {
    this.clock = {
      startedAtMs: Date.now(),
      rtoMs: plan.incident.rtoMs,
      phaseIndex: 0,
      phaseCount: plan.phases.length,
      simulate: false,
      projectedMs: 0,
    };
  }

  start(e: JournalEvent): void {
    this.clock.startedAtMs = Date.parse(e.at) - e.t;
    this.clock.simulate = e.type === 'run-started' && e.mode === 'simulate';
    this.timer = setInterval(() => {
      for (const tick of this.ticking) tick();
    }, TICK_MS);
    this.timer.unref();
  }

  onEvent(e: JournalEvent): void {
    switch (e.type) {
      case 'phase-started':
        this.clock.phaseIndex = this.plan.phases.findIndex((p) => p.id === e.phase) + 1;
        this.starts.put(e.phase, Date.parse(e.at));
        break;
      case 'section-started':
        this.starts.put(e.section, Date.parse(e.at));
        break;
      case 'step-started':
        this.starts.put(`step:${e.step}`, Date.parse(e.at));
        break;
      case 'step-finished':
        this.clock.projectedMs += e.result.projectedMs ?? 0;
        this.results.put(e.step, e.result);
        break;
      case 'phase-finished':
        this.phaseEnds.put(e.phase, e);
        break;
      case 'recovery-check':
        this.after.push(
          `recovered condition: ${e.ok ? 'holds' : 'does NOT hold'}`,
          ...e.checks.map(
            (c) => `  ${c.ok ? 'ok' : this.paint.red('FAIL')} ${c.description}${c.error ? ` — ${c.error}` : ''}`,
          ),
        );
        break;
      case 'escalation':
      case 'status-update':
      case 'delivery':
        this.comms.push(commsText(e).split('\n')[0] ?? '');
        this.after.push(commsText(e));
        break;
      case 'overrun':
        if (e.scope === 'rto')
          this.after.push(this.paint.red(overrunText('rto', this.plan.incident.id, e.budgetMs, e.t)));
        break;
      case 'run-finished':
        this.verdict = `${e.outcome.toUpperCase()} (exit ${e.exitCode})${e.reason ? `: ${e.reason}` : ''}`;
        this.after.push(paintVerdict(this.verdict, e.exitCode, this.paint));
        this.runEnd.put('run', e.exitCode);
        this.end();
        break;
      default:
        break;
    }
  }

  /** The run is over (or drillbook is closing): every box not filled yet is settled as "never happened". */
  end(): void {
    clearInterval(this.timer);
    this.runEnd.put('run', undefined);
    for (const section of planSections(this.plan)) {
      this.starts.put(section.id, undefined);
      for (const step of section.steps) {
        this.results.put(step.id, undefined);
        this.starts.put(`step:${step.id}`, undefined);
      }
    }
    for (const phase of this.plan.phases) this.phaseEnds.put(phase.id, undefined);
  }

  headerTask(): ListrTask {
    return {
      title: this.clockTitle(),
      rendererOptions: { persistentOutput: true },
      task: async (_ctx, task: Task) => {
        const tick = () => {
          task.title = this.clockTitle();
          if (this.comms.length > 0) task.output = this.comms.slice(-3).join('\n');
        };
        this.ticking.add(tick);
        const exitCode = await this.runEnd.take('run');
        this.ticking.delete(tick);
        tick();
        // The header is ticked only for a run that ended well; anything else is marked, never a green ✔.
        if (exitCode !== 0)
          throw new Error(
            `${this.clockTitle()} — ${exitCode === undefined ? 'ended without a verdict' : `exit ${exitCode}`}`,
          );
      },
    };
  }

  /** The last line of the walk: the verdict, ticked only when the run ended well. */
  verdictTask(): ListrTask {
    return {
      title: 'Verdict',
      task: async (_ctx, task: Task) => {
        const exitCode = await this.runEnd.take('run');
        task.title = this.verdict;
        if (exitCode !== 0) throw new Error(this.verdict);
      },
    };
  }

  sectionTask(section: WalkSection): ListrTask {
    const budget = section.budgetMs === null ? '' : ` (budget ${formatDuration(section.budgetMs)})`;
    return {
      title: `${section.title}${budget}`,
      task: async (_ctx, task: Task) => {
        const startedAt = await this.starts.take(section.id);
        if (startedAt === undefined) {
          task.skip(`${section.title}${budget} — not reached`);
          return undefined;
        }
        if (section.budgetMs !== null) this.followPhase(section, task, startedAt);
        return task.newListr(
          section.steps.map((s) => this.stepTask(s)),
          { concurrent: false, exitOnError: false },
        );
      },
    };
  }

  /** A running phase shows its time against its budget, red with OVER once past it; its final title comes from phase-finished. */
  private followPhase(section: WalkSection, task: Task, startedAt: number): void {
    const budgetMs = section.budgetMs ?? 0;
    const tick = () => {
      const spent = Date.now() - startedAt;
      const line = `${section.title}  ${formatDuration(spent)} of ${formatDuration(budgetMs)}`;
      task.title =
        !this.clock.simulate && spent > budgetMs
          ? this.paint.red(`${line} — OVER by ${formatDuration(spent - budgetMs)}`)
          : line;
    };
    if (!this.clock.simulate) this.ticking.add(tick);
    void this.phaseEnds.take(section.id).then((end) => {
      this.ticking.delete(tick);
      if (!end) return;
      const line = `${section.title}: ${this.clock.simulate ? 'projected' : 'took'} ${formatDuration(end.durationMs)} of ${formatDuration(end.budgetMs)}`;
      task.title = end.overrun
        ? this.paint.red(`${line} — OVER BUDGET by ${formatDuration(end.durationMs - end.budgetMs)}`)
        : line;
    });
  }

  private stepTask(step: PlanStep): ListrTask {
    return {
      title: step.title,
      rendererOptions: { persistentOutput: true },
      task: async (_ctx, task: Task) => {
        const startedAt = Date.now();
        const tick = () => {
          const waits = this.waiting.get(step.id);
          task.title = `${step.title}${waits ? ` — ${waits}` : ''}  ${formatDuration(Date.now() - startedAt)}`;
        };
        if (!this.clock.simulate) this.ticking.add(tick);
        const result = await this.results.take(step.id);
        this.ticking.delete(tick);
        this.showResult(step, task, result);
      },
    };
  }

  private showResult(step: PlanStep, task: Task, result: StepResult | undefined): void {
    const said = this.announcements.get(step.id);
    const tail = result?.status === 'passed' ? outputTail(result.output, 3) : '';
    if (said ?? tail) task.output = said ?? tail;
    if (!result) {
      task.skip(`${step.title} — not reached`);
      return;
    }
    if (result.status === 'skipped') {
      task.skip(`${step.title} — skipped: ${result.note ?? ''}`);
      return;
    }
    const time =
      result.projectedMs !== undefined ? `~${formatDuration(result.projectedMs)}` : formatDuration(result.durationMs);
    task.title = `${step.title} ${time}`;
    if (['failed', 'timed-out', 'unknown'].includes(result.status)) {
      throw new Error(
        `${step.title}: ${result.status.toUpperCase()} ${result.error ?? ''}${result.output ? `\n${outputTail(result.output, 5)}` : ''}`,
      );
    }
  }

  private clockTitle(): string {
    const { text, over } = clockLine(this.clock);
    return over ? this.paint.red(text) : text;
  }
}
