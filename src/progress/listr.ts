import { Listr, type ListrTask, type ListrTaskWrapper } from 'listr2';
import type { JournalEvent } from '../journal/events.js';
import { formatDuration } from '../model/duration.js';
import { planSections } from '../plan/plan-sections.js';
import type { Plan } from '../plan/plan-types.js';
import { paintFor, type Paint } from './colour.js';
import { LiveView } from './live-view.js';
import { approvalText } from './approval-text.js';
import type { Progress } from './progress.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Listr's wrapper is generic over its renderers
type Task = ListrTaskWrapper<any, any, any>;

/**
 * Live progress for a terminal. A header line keeps the clock against the RTO; every section of the
 * plan (phases, rollback, cleanup, always) is a group that starts when the journal says it started and
 * reads "not reached" when the run ended without it; a running step and a running phase show their time,
 * and a phase turns red with OVER the moment its budget passes. Listr2 does not drive the run: it mirrors
 * the journal, so the walk stays the only code path.
 */
export function listrProgress(plan: Plan, write: (line: string) => void, paint: Paint = paintFor()): Progress {
  const view = new LiveView(plan, paint);
  // The header ticks beside the walk; the sections run one after another inside it, pending until they start.
  const walk: ListrTask = {
    title: `${plan.incident.id} ${plan.incident.title}`,
    task: (_ctx, task: Task) =>
      task.newListr([...planSections(plan).map((s) => view.sectionTask(s)), view.verdictTask()], {
        concurrent: false,
        exitOnError: false,
      }),
  };
  // Signals are drillbook's to handle (src/cli/run-stop.ts): Listr2's own SIGINT handler would exit 127 mid-walk.
  const list = new Listr([view.headerTask(), walk], {
    concurrent: true,
    exitOnError: false,
    registerSignalListeners: false,
    rendererOptions: { collapseSubtasks: false },
  });
  let running: Promise<unknown> = Promise.resolve();
  return {
    onEvent(e: JournalEvent) {
      if (e.type === 'run-started' || e.type === 'run-resumed') {
        write(
          e.type === 'run-started'
            ? `${e.incident.id} ${e.incident.title} — mode ${e.mode}, env ${e.environment}, RTO ${formatDuration(e.incident.rtoMs)}, run ${e.runId}`
            : `${plan.incident.id} ${plan.incident.title} — resumed by ${e.operator} in mode ${e.mode}`,
        );
        view.start(e);
        running = list.run().catch(() => undefined);
        return;
      }
      if (e.type === 'approval-requested') view.waiting.set(e.step, approvalText(e));
      else if (e.type.startsWith('approval-') && 'step' in e) view.waiting.delete(e.step);
      view.onEvent(e);
    },
    announce(stepId, text) {
      view.announcements.set(stepId, text);
    },
    close: async () => {
      view.end();
      await running;
      for (const line of view.after) write(line);
    },
  };
}
