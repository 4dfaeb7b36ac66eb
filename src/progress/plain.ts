import { formatDuration } from '../model/duration.js';
import type { JournalEvent } from '../journal/events.js';
import type { Plan } from '../plan/plan-types.js';
import { paintFor, paintVerdict, paintWords, type Paint } from './colour.js';
import { outputTail } from './output-tail.js';
import type { Progress } from './progress.js';
import { overrunText } from './run-clock.js';
import { commsText } from './comms-text.js';

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
 * One case per event type: the switch is the table of how each event reads, so it stays in one place.
 */
export function plainProgress(write: (line: string) => void, plan: Plan, paint: Paint = paintFor()): Progress {
  const budgets = new Map(plan.phases.map((p) => [p.id, p.budgetMs]));
  const titles = new Map(plan.phases.map((p) => [p.id, p.title]));
  let simulate = false;
  let projectedMs = 0;
  const at = (e: JournalEvent) => `[T+${formatDuration(simulate ? projectedMs : e.t)}]`;
  const say = (line: string) => {
    write(paintWords(line, paint));
  };
  return {
    onEvent(e: JournalEvent) {
      switch (e.type) {
        case 'run-started':
          simulate = e.mode === 'simulate';
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
          if (!simulate) say(`${at(e)}   > ${e.step}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}: ${e.title}`);
          break;
        case 'step-finished': {
          const r = e.result;
          projectedMs += r.projectedMs ?? 0;
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
            write(
              tail
                .split('\n')
                .map((l) => `        | ${l}`)
                .join('\n'),
            );
          break;
        }
        case 'phase-finished':
          say(
            `${at(e)} phase ${e.phase} ${simulate ? 'projected' : 'took'} ${formatDuration(e.durationMs)} of ${formatDuration(e.budgetMs)}${e.overrun ? `  OVER BUDGET by ${formatDuration(e.durationMs - e.budgetMs)}` : ''}`,
          );
          break;
        case 'overrun':
          if (!simulate)
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
        case 'section-started':
          say(`${at(e)} ${e.section}: ${e.reason}`);
          break;
        case 'recovery-check':
          say(`${at(e)} recovered condition: ${e.ok ? 'holds' : 'does NOT hold'}`);
          for (const c of e.checks)
            say(`    ${c.ok ? 'ok' : 'FAIL'} ${c.description}${c.error ? ` — ${c.error}` : ''}`);
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
