import { readJournal, type Journal } from '../journal/journal.js';
import { OperatorGone } from './mode-policy.js';
import { UsageError } from '../model/errors.js';
import type { Plan, PlanStep } from '../plan/plan-types.js';
import type { Prompter } from '../interactive/prompter.js';

/** A metric name as typed on a command line: "Failover duration", "failover-duration" and "failover_duration" are one. */
const norm = (name: string) =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');

export interface RecordValue {
  step: string;
  name: string;
  value: string;
}

/** `--record STEP.NAME=VALUE`, each checked against the step's `record:` list (a typo is exit 2, before anything runs). */
export function parseRecordOptions(options: string[], plan: Plan): RecordValue[] {
  const steps = new Map(allSteps(plan).map((s) => [s.id, s]));
  return options.map((option) => {
    const m = /^([^.=]+)\.([^=]+)=(.*)$/s.exec(option);
    if (!m)
      throw new UsageError(`--record expects STEP.NAME=VALUE, e.g. promote.failover-duration=42s, got "${option}"`);
    const [, stepId = '', name = '', value = ''] = m;
    const step = steps.get(stepId);
    if (!step) throw new UsageError(`--record: ${plan.incident.id} has no step "${stepId}"`);
    const known = (step.record ?? []).find((r) => norm(r) === norm(name));
    if (known === undefined) {
      const asks = step.record?.length
        ? `it records: ${step.record.join(', ')}`
        : 'it records nothing (no record: list)';
      throw new UsageError(`--record: step "${stepId}" has no metric "${name}"; ${asks}`);
    }
    return { step: stepId, name: known, value };
  });
}

/**
 * After the walk, before the report: journals the reviewer and the metrics. Values given with --record are
 * journaled as given; in interactive mode the person is asked for each metric of every step that ran and
 * has none yet (an empty answer leaves it unrecorded).
 */
export async function recordMetrics(options: {
  plan: Plan;
  journal: Journal;
  given: RecordValue[];
  by: string;
  reviewer?: string;
  prompter?: Prompter;
  ran: (stepId: string) => boolean;
}): Promise<void> {
  const { journal, given, by } = options;
  if (options.reviewer !== undefined) journal.append({ type: 'reviewer', name: options.reviewer });
  for (const r of given) journal.append({ type: 'recorded', ...r, by });
  const prompter = options.prompter;
  if (!prompter) return;
  try {
    await askMetrics(prompter, options);
  } catch (error) {
    // The person left at the question: what was answered is journaled, the rest stays unrecorded.
    if (!(error instanceof OperatorGone)) throw error;
  }
}

async function askMetrics(
  prompter: Prompter,
  options: { plan: Plan; journal: Journal; given: RecordValue[]; by: string; ran: (stepId: string) => boolean },
): Promise<void> {
  const { journal, given, by } = options;
  for (const step of allSteps(options.plan).filter((s) => (s.record?.length ?? 0) > 0 && options.ran(s.id))) {
    for (const name of step.record ?? []) {
      if (given.some((r) => r.step === step.id && r.name === name)) continue;
      const value = (await prompter.ask(`Record for ${step.id}: ${name} (empty: not recorded)`)).trim();
      if (value !== '') journal.append({ type: 'recorded', step: step.id, name, value, by });
    }
  }
}

function allSteps(plan: Plan): PlanStep[] {
  return [...plan.phases.flatMap((p) => p.steps), ...plan.rollback, ...plan.always, ...plan.cleanup];
}

/** Steps the journal shows finished other than skipped: the ones whose metrics are worth asking for. */
export function stepsThatRan(journalPath: string): (stepId: string) => boolean {
  const ran = new Set<string>();
  for (const e of readJournal(journalPath))
    if (e.type === 'step-finished' && e.result.status !== 'skipped') ran.add(e.step);
  return (stepId) => ran.has(stepId);
}
