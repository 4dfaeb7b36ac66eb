import { formatDuration } from '../model/duration.js';
import type { JournalEvent } from '../journal/events.js';
import type { Plan } from '../plan/plan-types.js';
import type { Progress } from './progress.js';

const MARK: Record<string, string> = { passed: 'ok', simulated: 'sim', skipped: 'skip', failed: 'FAIL', 'timed-out': 'TIMEOUT', unknown: '??', 'rolled-back': 'undone' };

/** One line per event: for pipes, CI logs and --renderer plain. */
export function plainProgress(write: (line: string) => void, plan: Plan): Progress {
  const budgets = new Map(plan.phases.map((p) => [p.id, p.budgetMs]));
  let simulate = false;
  return {
    onEvent(e: JournalEvent) {
      switch (e.type) {
        case 'run-started':
          simulate = e.mode === 'simulate';
          write(`${e.incident.id} ${e.incident.title} — mode ${e.mode}, env ${e.environment}, RTO ${formatDuration(e.incident.rtoMs)}, run ${e.runId}`);
          break;
        case 'run-resumed':
          write(`${plan.incident.id} ${plan.incident.title} — resumed by ${e.operator} in mode ${e.mode}${e.from ? ` from ${e.from}` : ''}`);
          break;
        case 'phase-started':
          write(`[${formatDuration(e.t)}] phase ${e.phase} (budget ${formatDuration(budgets.get(e.phase) ?? 0)})`);
          break;
        case 'step-started':
          if (!simulate) write(`[${formatDuration(e.t)}]   > ${e.step}${e.attempt > 1 ? ` (attempt ${e.attempt})` : ''}: ${e.title}`);
          break;
        case 'step-finished': {
          const r = e.result;
          const time = r.status === 'simulated' || r.projectedMs !== undefined ? `~${formatDuration(r.projectedMs ?? 0)}` : formatDuration(r.durationMs);
          const detail = [r.error, r.note].filter(Boolean).join(' — ');
          write(`[${formatDuration(e.t)}]   ${MARK[r.status] ?? r.status} ${e.step} ${time}${detail ? `  ${detail.split('\n')[0] ?? ''}` : ''}`);
          break;
        }
        case 'phase-finished':
          write(`[${formatDuration(e.t)}] phase ${e.phase} ${simulate ? 'projected' : 'took'} ${formatDuration(e.durationMs)} of ${formatDuration(e.budgetMs)}${e.overrun ? '  OVER BUDGET' : ''}`);
          break;
        case 'overrun':
          if (!simulate) write(`[${formatDuration(e.t)}] ! ${e.scope} ${e.id} is over its ${formatDuration(e.budgetMs)} budget`);
          break;
        case 'decision':
          write(`[${formatDuration(e.t)}]   decision on ${e.step}: ${e.choice} by ${e.by}${e.note ? ` (${e.note})` : ''}`);
          break;
        case 'section-started':
          write(`[${formatDuration(e.t)}] ${e.section}: ${e.reason}`);
          break;
        case 'recovery-check':
          write(`[${formatDuration(e.t)}] recovered condition: ${e.ok ? 'holds' : 'does NOT hold'}`);
          for (const c of e.checks) write(`    ${c.ok ? 'ok' : 'FAIL'} ${c.description}${c.error ? ` — ${c.error}` : ''}`);
          break;
        case 'run-finished':
          write(`${e.outcome.toUpperCase()} (exit ${e.exitCode})${e.reason ? `: ${e.reason}` : ''}`);
          break;
        default:
          break;
      }
    },
    announce(_stepId, text) {
      write(`  ---- status update ----\n${text.split('\n').map((l) => `  | ${l}`).join('\n')}`);
    },
    close: () => Promise.resolve(),
  };
}
