import { JournalError } from '../journal/journal-error.js';
import type { JournalEvent } from '../journal/events.js';
import { formatDuration } from '../model/duration.js';
import { decide, endingOf, type Decision, type VerdictFacts } from './decide.js';

/** Why a run did not recover: the step that stopped it and the last lines it printed (masked in the journal). */
export interface FailureCause {
  step: string;
  status: string;
  error: string | null;
  /** The output's last lines; the output ends with stderr, so stderr comes first in what is kept. */
  tail: string[];
}

export interface Breach {
  objective: 'rto' | 'rpo';
  targetMs: number;
  actualMs: number;
  projected: boolean;
  text: string;
}

/** A run judged once. Terminal, reports, chart, JUnit, history, drill and the exit code all read this. */
export interface Verdict extends Decision {
  simulated: boolean;
  /** Time to recover: wall time from the first start to recovery, resumes' interruptions included. */
  ttr: { ms: number | null; projected: boolean; interruptions: number; interruptedMs: number; outsideRtoMs: number };
  /** Phases outside the RTO clock (outside_rto: true): timed against their own budgets only. */
  outsidePhases: string[];
  rto: { targetMs: number; measuredMs: number | null; projectedMs: number | null; met: boolean | null };
  rpo: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
  breaches: Breach[];
  issues: string[];
  cause: FailureCause | null;
  reason: string | null;
}

const FAILING = new Set(['failed', 'timed-out', 'unknown']);
const TAIL_LINES = 8;

/** The verdict of a run from its journal alone (a resumed run's last run-finished event counts). */
export function verdictOf(events: JournalEvent[]): Verdict {
  const facts = readFacts(events);
  const decision = decide(facts);
  const finished = lastFinished(events);
  const interruptions = interruptionsOf(events);
  const ttrMs = decision.outcome === 'recovered' || decision.outcome === 'simulated' ? facts.recoveredAtMs : null;
  const breaches = breachesOf(facts, decision);
  const cause =
    decision.withinTarget || decision.outcome === 'recovered' || decision.outcome === 'simulated'
      ? null
      : causeOf(events);
  return {
    ...decision,
    simulated: facts.simulated,
    ttr: { ms: ttrMs, projected: facts.simulated, ...interruptions, outsideRtoMs: finished?.rto.outsideMs ?? 0 },
    outsidePhases: finished?.rto.outsidePhases ?? [],
    rto: {
      targetMs: facts.rtoTargetMs,
      measuredMs: facts.simulated ? null : ttrMs,
      projectedMs: facts.simulated ? ttrMs : null,
      met: decision.rtoMet,
    },
    rpo: { targetMs: facts.rpoTargetMs, measuredMs: facts.rpoMeasuredMs, met: decision.rpoMet },
    breaches,
    issues: issuesOf(events, decision, breaches, interruptions, finished?.reason),
    cause,
    reason: finished ? (finished.reason ?? null) : 'the run stopped without finishing (crash or kill); see the journal',
  };
}

type Finished = Extract<JournalEvent, { type: 'run-finished' }>;

/** The verdict-bearing run-finished event: none when a resume started after it (the run is going on or died). */
function lastFinished(events: JournalEvent[]): Finished | undefined {
  for (let i = events.length - 1; i >= 0; i -= 1) {
    const e = events[i];
    if (e?.type === 'run-finished') return e;
    if (e?.type === 'run-resumed') return undefined;
  }
  return undefined;
}

function readFacts(events: JournalEvent[]): VerdictFacts {
  const started = events.find((e) => e.type === 'run-started');
  if (started?.type !== 'run-started')
    throw new JournalError('the journal has no run-started event: the run never began');
  const finished = lastFinished(events);
  const simulated = started.mode === 'simulate';
  return {
    simulated,
    ending: finished ? endingOf(finished.outcome) : 'unfinished',
    recoveredAtMs: finished ? (simulated ? finished.rto.projectedMs : finished.rto.measuredMs) : null,
    rtoTargetMs: started.incident.rtoMs,
    rpoTargetMs: started.incident.rpoMs,
    rpoMeasuredMs: finished?.rpo.measuredMs ?? null,
    stopExitCode: finished?.outcome === 'interrupted' ? finished.exitCode : null,
  };
}

/** Each resume's gap: from the last event before it (a run-finished "interrupted", or a crash) to the resume. */
function interruptionsOf(events: JournalEvent[]): { interruptions: number; interruptedMs: number } {
  let interruptions = 0;
  let interruptedMs = 0;
  events.forEach((e, i) => {
    if (e.type !== 'run-resumed' || i === 0) return;
    interruptions += 1;
    interruptedMs += Math.max(0, e.t - (events[i - 1]?.t ?? e.t));
  });
  return { interruptions, interruptedMs };
}

function breachesOf(f: VerdictFacts, d: Decision): Breach[] {
  const out: Breach[] = [];
  const projected = f.simulated;
  if (d.rtoMet === false && f.recoveredAtMs !== null && (d.outcome === 'recovered' || d.outcome === 'simulated')) {
    const verb = projected ? 'projected recovery' : 'recovered';
    out.push({
      objective: 'rto',
      targetMs: f.rtoTargetMs,
      actualMs: f.recoveredAtMs,
      projected,
      text: `RTO ${formatDuration(f.rtoTargetMs)} breached: ${verb} in ${formatDuration(f.recoveredAtMs)}`,
    });
  }
  if (d.rpoMet === false && f.rpoTargetMs !== null && f.rpoMeasuredMs !== null) {
    out.push({
      objective: 'rpo',
      targetMs: f.rpoTargetMs,
      actualMs: f.rpoMeasuredMs,
      projected: false,
      text: `RPO ${formatDuration(f.rpoTargetMs)} breached: data-loss window ${formatDuration(f.rpoMeasuredMs)}`,
    });
  }
  return out;
}

function issuesOf(
  events: JournalEvent[],
  d: Decision,
  breaches: Breach[],
  gaps: { interruptions: number; interruptedMs: number },
  reason: string | undefined,
): string[] {
  const issues: string[] = [];
  if (d.outcome === 'aborted' || d.outcome === 'interrupted' || d.outcome === 'unfinished')
    issues.push(`${d.outcome}${reason ? `: ${reason}` : ''}`);
  const results = new Map<string, { status: string; error?: string }>();
  for (const e of events) {
    if (e.type === 'step-started' && !results.has(e.step))
      results.set(e.step, { status: 'unknown', error: 'started, never finished' });
    if (e.type === 'step-finished') results.set(e.step, e.result);
  }
  for (const [id, r] of results)
    if (FAILING.has(r.status)) issues.push(`${id}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
  // The RTO's own overrun is judged by the verdict (a breach), not by the wall-clock timer, which also ran through phases outside the RTO clock.
  for (const e of events)
    if (e.type === 'overrun' && e.scope === 'phase')
      issues.push(`${e.scope} ${e.id} over its ${formatDuration(e.budgetMs)} budget`);
  issues.push(...breaches.map((b) => b.text));
  if (d.outcome === 'not-recovered') issues.push('the recovered condition does not hold');
  if (gaps.interruptions > 0)
    issues.push(
      `interrupted ${gaps.interruptions === 1 ? 'once' : `${gaps.interruptions} times`}: ${formatDuration(gaps.interruptedMs)} stopped, counted in the time to recover`,
    );
  return issues;
}

/**
 * The step that stopped the run: the last failing phase step (rollback and always steps come after it),
 * else the last failing step of any section, else the recovered condition's failing checks.
 */
function causeOf(events: JournalEvent[]): FailureCause | null {
  const finishedSteps = events.filter(
    (e): e is Extract<JournalEvent, { type: 'step-finished' }> => e.type === 'step-finished',
  );
  // A step retried after a resume counts by its last result.
  const latest = new Map(finishedSteps.map((e) => [e.step, e]));
  const failing = [...latest.values()].sort((a, b) => a.t - b.t).filter((e) => FAILING.has(e.result.status));
  const step = failing.filter((e) => e.section === 'phase').at(-1) ?? failing.at(-1);
  if (step) {
    const tail = (step.result.output ?? '')
      .trimEnd()
      .split('\n')
      .filter((l) => l.trim() !== '')
      .slice(-TAIL_LINES);
    return { step: step.step, status: step.result.status, error: step.result.error ?? null, tail };
  }
  const started = new Set(
    events.filter((e) => e.type === 'step-started').map((e) => (e.type === 'step-started' ? e.step : '')),
  );
  for (const e of finishedSteps) started.delete(e.step);
  const hanging = [...started].at(-1);
  if (hanging !== undefined) return { step: hanging, status: 'unknown', error: 'started, never finished', tail: [] };
  const check = events.findLast((e) => e.type === 'recovery-check');
  if (check?.type === 'recovery-check' && !check.ok) {
    return {
      step: 'recovered condition',
      status: 'failed',
      error: 'does not hold',
      tail: check.checks.filter((c) => !c.ok).map((c) => `${c.description}${c.error ? `: ${c.error}` : ''}`),
    };
  }
  return null;
}
