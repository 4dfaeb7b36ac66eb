import { approverWords } from '../model/approval-need.js';
import { JournalError } from '../journal/journal-error.js';
import type { StepResult } from '../model/step-result.js';
import type { JournalEvent, RunOutcome } from '../journal/events.js';
import { verdictOf, type Verdict } from '../verdict/verdict.js';
import { addCommunication, emptyCommunications, type Communications } from './communications.js';

/** A run as a reviewer files it; rebuilt from the journal alone, so it survives any crash. */
export interface Report {
  reportVersion: 1;
  runId: string;
  incident: { id: string; title: string; severity: string };
  mode: string;
  environment: string;
  operator: string;
  runbook: { file: string; name: string; version: string; sha256: string };
  startedAt: string;
  finishedAt: string | null;
  durationMs: number;
  outcome: RunOutcome | 'unfinished';
  exitCode: number | null;
  reason: string | null;
  rto: { targetMs: number; measuredMs: number | null; projectedMs: number | null; met: boolean | null };
  rpo: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
  /** `steps`: the phase's planned step ids, so steps a run never reached are known too. */
  phases: { id: string; title: string; budgetMs: number; actualMs: number | null; overrun: boolean; steps: string[] }[];
  steps: ({ id: string; title: string; kind: string; section: string; phase: string | null } & StepResult)[];
  decisions: { step: string; choice: string; by: string; note?: string; at: string }[];
  notifications: { step: string; text: string; at: string }[];
  recovery: { ok: boolean; checks: { description: string; ok: boolean; error?: string }[] } | null;
  overruns: { scope: string; id: string; budgetMs: number; at: string }[];
  /** Escalation levels fired, status updates due, and what each delivery became (src/report/communications.ts). */
  communications: Communications;
  /** The seeds' test documentation row: date, type, start, end, duration, RTO met, RPO met, issues, remediation. */
  documentation: {
    date: string;
    type: string;
    start: string;
    end: string | null;
    durationMs: number;
    rtoMet: boolean | null;
    rpoMet: boolean | null;
    /** The recorded metrics as "Name: value" (the seeds' "metrics to record"). */
    metrics: string[];
    issues: string[];
    remediation: string;
    /** Who ran it (the operator, and whoever resumed it) and who reviews it (--reviewer). */
    tester: string;
    reviewer: string | null;
  };
  /** Metrics the runbook's `record:` lists asked for, as given (--record) or answered (interactive). */
  records: { step: string; name: string; value: string; by: string; at: string }[];
  /** The run judged once (src/verdict): outcome, exitCode, rto, rpo and documentation above are copied from it. */
  verdict: Verdict;
}

type Started = Extract<JournalEvent, { type: 'run-started' }>;
type PhaseEnds = Map<string, { durationMs: number; overrun: boolean }>;

/** A run's report, rebuilt from its journal: the verdict (judged once, in src/verdict) and what the run did. */
export function buildReport(events: JournalEvent[]): Report {
  const started = events.find((e) => e.type === 'run-started');
  if (started?.type !== 'run-started')
    throw new JournalError('the journal has no run-started event: the run never began');
  const verdict = verdictOf(events);
  const report = emptyReport(started, verdict, events);
  const { steps, phaseEnds } = foldEvents(events, report);
  report.phases = started.phases.map((p) => ({
    id: p.id,
    title: p.title,
    budgetMs: p.budgetMs,
    actualMs: phaseEnds.get(p.id)?.durationMs ?? null,
    overrun: phaseEnds.get(p.id)?.overrun ?? false,
    steps: p.steps,
  }));
  report.steps = steps;
  report.documentation = {
    ...report.documentation,
    type: started.mode === 'simulate' ? 'simulation' : `${started.mode} run`,
    rtoMet: verdict.rtoMet,
    rpoMet: verdict.rpoMet,
    metrics: report.records.map((r) => `${r.name}: ${r.value}`),
    issues: verdict.issues,
    remediation:
      verdict.issues.length > 0 ? 'review the failed steps, breaches and overruns; update the runbook' : 'none',
  };
  return report;
}

function emptyReport(started: Started, verdict: Verdict, events: JournalEvent[]): Report {
  const finished = verdict.outcome === 'unfinished' ? undefined : events.findLast((e) => e.type === 'run-finished');
  const durationMs = (events[events.length - 1] ?? started).t;
  return {
    reportVersion: 1,
    runId: started.runId,
    incident: { id: started.incident.id, title: started.incident.title, severity: started.incident.severity },
    mode: started.mode,
    environment: started.environment,
    operator: started.operator,
    runbook: started.runbook,
    startedAt: started.at,
    finishedAt: finished?.at ?? null,
    durationMs,
    outcome: verdict.outcome,
    exitCode: verdict.exitCode,
    reason: verdict.reason,
    rto: verdict.rto,
    rpo: verdict.rpo,
    phases: [],
    steps: [],
    decisions: [],
    notifications: [],
    recovery: null,
    overruns: [],
    communications: emptyCommunications(),
    documentation: {
      date: started.at.slice(0, 10),
      type: '',
      start: started.at,
      end: finished?.at ?? null,
      durationMs,
      rtoMet: null,
      rpoMet: null,
      metrics: [],
      issues: [],
      remediation: '',
      tester: started.operator,
      reviewer: null,
    },
    records: [],
    verdict,
  };
}

/**
 * One pass over the events: steps in the order they first started, phase times summed over resumes,
 * decisions, notifications, the recovery check, overruns, records, who took part. It is long because it
 * has one case per event type the report lists, and the switch is the readable form of that table.
 */
function foldEvents(events: JournalEvent[], report: Report): { steps: Report['steps']; phaseEnds: PhaseEnds } {
  const titles = new Map<string, { title: string; kind: string }>();
  const stepResults = new Map<string, Report['steps'][number]>();
  const phaseEnds: PhaseEnds = new Map();
  for (const e of events) {
    switch (e.type) {
      case 'step-started':
        titles.set(e.step, { title: e.title, kind: e.kind });
        if (!stepResults.has(e.step)) stepResults.set(e.step, unfinishedStep(e));
        break;
      case 'step-finished':
        stepResults.delete(e.step);
        stepResults.set(e.step, finishedStep(e, titles.get(e.step)));
        break;
      case 'phase-finished': {
        // A phase interrupted and resumed finishes twice: its time is the sum.
        const durationMs = (phaseEnds.get(e.phase)?.durationMs ?? 0) + e.durationMs;
        phaseEnds.set(e.phase, { durationMs, overrun: durationMs > e.budgetMs });
        break;
      }
      case 'decision':
        report.decisions.push({
          step: e.step,
          choice: e.choice,
          by: e.by,
          ...(e.note ? { note: e.note } : {}),
          at: e.at,
        });
        break;
      case 'approval-requested':
      case 'approval-granted':
      case 'approval-denied':
      case 'approval-timed-out':
        report.decisions.push(approvalDecision(e));
        break;
      case 'notification':
        report.notifications.push({ step: e.step, text: e.text, at: e.at });
        break;
      case 'recovery-check':
        report.recovery = { ok: e.ok, checks: e.checks };
        break;
      case 'overrun':
        report.overruns.push({ scope: e.scope, id: e.id, budgetMs: e.budgetMs, at: e.at });
        break;
      case 'recorded':
        report.records.push({ step: e.step, name: e.name, value: e.value, by: e.by, at: e.at });
        break;
      case 'reviewer':
        report.documentation.reviewer = e.name;
        break;
      case 'escalation':
      case 'status-update':
      case 'delivery':
        addCommunication(report.communications, e);
        break;
      case 'run-resumed':
        if (!report.documentation.tester.split(', ').includes(e.operator))
          report.documentation.tester += `, ${e.operator}`;
        break;
      default:
        break;
    }
  }
  return { steps: [...stepResults.values()], phaseEnds };
}

type ApprovalEvent = Extract<
  JournalEvent,
  { type: 'approval-requested' | 'approval-granted' | 'approval-denied' | 'approval-timed-out' }
>;

/** A two-person approval's request and outcome, listed with the run's other decisions (who, when, why). */
function approvalDecision(e: ApprovalEvent): Report['decisions'][number] {
  const at = e.at;
  switch (e.type) {
    case 'approval-requested':
      return {
        step: e.step,
        choice: 'approval requested',
        by: e.requestedBy,
        note: `${approverWords(e.approvers)} until ${e.deadline}: ${e.why}`,
        at,
      };
    case 'approval-granted':
    case 'approval-denied':
      return {
        step: e.step,
        choice: e.type === 'approval-granted' ? 'approval granted' : 'approval denied',
        by: e.by,
        ...(e.comment ? { note: e.comment } : {}),
        at,
      };
    case 'approval-timed-out':
      return { step: e.step, choice: 'approval timed out', by: 'nobody', at };
  }
}

type StepStarted = Extract<JournalEvent, { type: 'step-started' }>;
type StepFinished = Extract<JournalEvent, { type: 'step-finished' }>;

function unfinishedStep(e: StepStarted): Report['steps'][number] {
  return {
    id: e.step,
    title: e.title,
    kind: e.kind,
    section: e.section,
    phase: e.phase,
    status: 'unknown',
    startedAt: e.at,
    durationMs: 0,
    note: 'started, never finished',
  };
}

function finishedStep(e: StepFinished, known: { title: string; kind: string } | undefined): Report['steps'][number] {
  return {
    id: e.step,
    title: e.title ?? known?.title ?? e.step,
    kind: e.kind ?? known?.kind ?? '',
    section: e.section,
    phase: e.phase,
    ...e.result,
  };
}
