import { formatDuration } from '../model/duration.js';
import type { JournalEvent } from '../journal/events.js';
import type { Plan } from '../plan/plan-types.js';
import { paintFor, paintVerdict, paintWords, type Paint } from './colour.js';
import { outputTail } from './output-tail.js';
import type { Progress } from './progress.js';
import { overrunText } from './run-clock.js';
import { commsText } from './comms-text.js';
import { approvalText } from './approval-text.js';

const MARK: Record<string, string> = {
  passed: 'ok',
  simulated: 'sim',
  skipped: 'skip',
  failed: 'FAIL',
  'timed-out': 'TIMEOUT',
  unknown: '??',
  'rolled-back': 'ROLLED-BACK',
};

/**
 * One line per event: for pipes, CI logs, interactive mode and --renderer plain. Each line starts with
 * the run's clock as T+ (a simulation's projected clock, not wall time) and names steps by id and title.
 */
export function plainProgress(write: (line: string) => void, plan: Plan, paint: Paint = paintFor()): Progress {
  const run: PlainRun = {
    plan,
    budgets: new Map(plan.phases.map((p) => [p.id, p.budgetMs])),
    titles: new Map(plan.phases.map((p) => [p.id, p.title])),
    simulate: false,
    projectedMs: 0,
    write,
    paint,
  };
  return {
    onEvent(e: JournalEvent) {
      writeEvent(run, e);
    },
    announce(_stepId, text) {
      write(
        `  ---- status update ----\n${text
          .split('\n')
          .map((l) => `  | ${l}`)
          .join('\n')}`,
      );
    },
    close: () => Promise.resolve(),
  };
}

/** The plan's phase titles and budgets, and what the display has learnt of the run: its mode and projected clock. */
interface PlainRun {
  plan: Plan;
  budgets: Map<string, number>;
  titles: Map<string, string>;
  simulate: boolean;
  projectedMs: number;
  write: (line: string) => void;
  paint: Paint;
}

/**
 * It is long because it has one case per event type: the switch is the table of how each event reads, so
 * the lines of a run can be compared in one place.
 */
function writeEvent(run: PlainRun, e: JournalEvent): void {
  const { plan, titles, budgets, write, paint } = run;
  const at = (event: JournalEvent) => `[T+${formatDuration(run.simulate ? run.projectedMs : event.t)}]`;
  const say = (line: string) => {
    write(paintWords(line, paint));
  };
  switch (e.type) {
    case 'run-started':
      run.simulate = e.mode === 'simulate';
      say(
        `${e.incident.id} ${e.incident.title} — mode ${e.mode}, env ${e.environment}, RTO ${formatDuration(e.incident.rtoMs)}, run ${e.runId}`,
      );
      break;
    case 'run-resumed':
      say(
        `${plan.incident.id} ${plan.incident.title} — resumed by ${e.operator} in mode ${e.mode}${e.from ? ` from ${e.from}` : ''}`,
      );
      break;
    case 'phase-started':
      say(
        `${at(e)} phase ${e.phase}: ${titles.get(e.phase) ?? ''} (budget ${formatDuration(budgets.get(e.phase) ?? 0)})`,
      );
      break;
    case 'step-started':
      if (!run.simulate) say(`${at(e)}   > ${e.step}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}: ${e.title}`);
      break;
    case 'step-finished':
      writeStepFinished(run, e, at, say);
      break;
    case 'phase-finished':
      say(
        `${at(e)} phase ${e.phase} ${run.simulate ? 'projected' : 'took'} ${formatDuration(e.durationMs)} of ${formatDuration(e.budgetMs)}${e.overrun ? `  OVER BUDGET by ${formatDuration(e.durationMs - e.budgetMs)}` : ''}`,
      );
      break;
    case 'overrun':
      if (!run.simulate)
        say(
          `${at(e)} ! ${overrunText(e.scope, e.scope === 'rto' ? plan.incident.id : (titles.get(e.id) ?? e.id), e.budgetMs, e.t)}`,
        );
      break;
    case 'escalation':
    case 'status-update':
      say(`${e.projected ? `[T+${formatDuration(e.atMs)}]` : at(e)} ${commsText(e)}`);
      break;
    case 'delivery':
      say(`${at(e)}   ${commsText(e)}`);
      break;
    case 'decision':
      say(`${at(e)}   decision on ${e.step}: ${e.choice} by ${e.by}${e.note ? ` (${e.note})` : ''}`);
      break;
    case 'approval-requested':
    case 'approval-granted':
    case 'approval-denied':
    case 'approval-timed-out':
      say(`${at(e)}   ${approvalText(e)}`);
      break;
    case 'section-started':
      say(`${at(e)} ${e.section}: ${e.reason}`);
      break;
    case 'recovery-check':
      say(`${at(e)} recovered condition: ${e.ok ? 'holds' : 'does NOT hold'}`);
      for (const c of e.checks) say(`    ${c.ok ? 'ok' : 'FAIL'} ${c.description}${c.error ? ` — ${c.error}` : ''}`);
      break;
    case 'run-finished':
      write(
        paintVerdict(
          `${e.outcome.toUpperCase()} (exit ${e.exitCode})${e.reason ? `: ${e.reason}` : ''}`,
          e.exitCode,
          paint,
        ),
      );
      break;
    default:
      break;
  }
}

type StepFinished = Extract<JournalEvent, { type: 'step-finished' }>;

/** The step's mark, id, title and time (projected in a simulation), then the tail of its output. */
function writeStepFinished(
  run: PlainRun,
  e: StepFinished,
  at: (e: JournalEvent) => string,
  say: (line: string) => void,
): void {
  const r = e.result;
  run.projectedMs += r.projectedMs ?? 0;
  const time =
    r.status === 'simulated' || r.projectedMs !== undefined
      ? `~${formatDuration(r.projectedMs ?? 0)}`
      : formatDuration(r.durationMs);
  const detail = [r.error, r.note].filter(Boolean).join(' — ');
  say(
    `${at(e)}   ${MARK[r.status] ?? r.status} ${e.step}: ${e.title} ${time}${detail ? `  ${detail.split('\n')[0] ?? ''}` : ''}`,
  );
  const tail = outputTail(r.output, r.status === 'passed' ? 2 : 5);
  if (tail && r.status !== 'simulated')
    run.write(
      tail
        .split('\n')
        .map((l) => `        | ${l}`)
        .join('\n'),
    );
}
