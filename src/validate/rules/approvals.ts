import { parseDuration } from '../../model/duration.js';
import { stepKind, stepLists, type Step } from '../../model/runbook.js';
import type { RuleContext } from './context.js';

/** The shortest and longest wait for a decision: less is no time for a person, more outlives any run. */
const MIN_MS = 1000;
const MAX_MS = 24 * 60 * 60 * 1000;

/** Steps that change something a person may want a second pair of eyes on; probes and messages do not. */
const APPROVABLE = new Set(['run', 'manual']);

/**
 * An approval makes a run wait for a second person before the step: only on a step that acts (run, manual),
 * with a timeout a person can meet and a run can outlast.
 */
export function approvals({ runbook, report }: RuleContext): void {
  runbook.incidents.forEach((incident, i) => {
    for (const list of stepLists(incident, `/incidents/${i}`))
      list.steps.forEach((step, k) => {
        checkStep(step, `${list.path}/${k}`, report);
      });
  });
}

function checkStep(step: Step, pointer: string, report: RuleContext['report']): void {
  if (!step.approval) return;
  const kind = stepKind(step);
  if (!APPROVABLE.has(kind))
    report(
      pointer,
      `step "${step.id}" is a ${kind} step: an approval only applies to a run or manual step`,
      'a check, wait or notify step changes nothing; put the approval on the step that acts',
      'approval',
    );
  const ms = parseDuration(step.approval.timeout) ?? 0;
  if (ms < MIN_MS || ms > MAX_MS)
    report(
      `${pointer}/approval/timeout`,
      `approval timeout ${step.approval.timeout} is out of range: it must be from 1s to 24h`,
      'the run waits this long for a decision, then aborts',
    );
}
