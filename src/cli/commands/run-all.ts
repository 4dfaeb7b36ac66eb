import { dirname, join } from 'node:path';
import { userInfo } from 'node:os';
import { simulatePolicy } from '../../execute/mode-policy.js';
import { runIncident } from '../../execute/run-incident.js';
import { SecretMasker } from '../../execute/secrets.js';
import { RunVariables } from '../../execute/variables.js';
import { Journal } from '../../journal/journal.js';
import { newRunId, runsDir, writeFileAtomic } from '../../journal/run-store.js';
import { EXIT, UsageError } from '../../model/errors.js';
import { buildPlan } from '../../plan/build-plan.js';
import type { Report } from '../../report/build-report.js';
import { junitDocument } from '../../report/report-junit.js';
import { resolveEnvironment } from '../../resolve/resolve-environment.js';
import { ttrText, verdictWord } from '../../verdict/verdict-text.js';
import { openRunbook, runbookPath } from '../open-runbook.js';
import { renderTable } from '../table.js';
import { parseVarOptions } from '../var-options.js';
import { writeRunReports } from '../../report/run-reports.js';

export interface RunAllFlags {
  files: string[];
  env?: string;
  mode?: string;
  var: string[];
  json?: boolean;
  junit?: string;
}

/** Worst first: an interrupted batch, then a failure, then a breach, then success. */
const SEVERITY = [EXIT.interrupted, EXIT.failed, EXIT.breached, EXIT.ok];

/**
 * `drillbook run --all` (and `run -f A -f B`): every incident of every runbook given, simulated one after
 * another through the same walk as `run`, then one summary table, one JUnit file with a testsuite per
 * incident, and the worst exit code. The seeds' `dr-test --test all --dry-run`, for CI.
 */
export async function runAll(incident: string | undefined, flags: RunAllFlags): Promise<number> {
  if (incident !== undefined)
    throw new UsageError(`--all runs every incident; drop "${incident}", or drop --all to run one incident`);
  if ((flags.mode ?? 'simulate') !== 'simulate')
    throw new UsageError(
      '--all and several -f run in simulate mode only (--mode simulate): executing every incident for real at once is not a drill',
    );
  const files = flags.files.length > 0 ? flags.files : [runbookPath(undefined)];
  const opened = files.map((file) => openRunbook(file));
  const controller = new AbortController();
  const onSigint = () => {
    controller.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  const reports: Report[] = [];
  try {
    for (const { runbook, file, text } of opened) {
      for (const { id } of runbook.incidents) {
        if (controller.signal.aborted) break;
        const environment = resolveEnvironment(runbook, flags.env, parseVarOptions(flags.var));
        reports.push(
          await simulateOne(buildPlan({ runbook, file, text, incidentId: id, environment }), controller.signal),
        );
      }
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
  const junitFile = flags.junit ?? join(dirname(runsDir()), 'run-all.junit.xml');
  writeFileAtomic(junitFile, junitDocument(reports));
  const exitCode = controller.signal.aborted ? EXIT.interrupted : worstExit(reports);
  if (flags.json)
    process.stdout.write(`${JSON.stringify({ exitCode, junit: junitFile, runs: reports.map(summaryRow) }, null, 2)}\n`);
  else process.stdout.write(`${summaryTable(reports)}\njunit: ${junitFile}\n`);
  return exitCode;
}

async function simulateOne(plan: ReturnType<typeof buildPlan>, signal: AbortSignal): Promise<Report> {
  const runId = newRunId(plan.incident.id);
  const dir = join(runsDir(), runId);
  const masker = new SecretMasker(plan.secrets);
  const journal = Journal.open(dir, masker);
  try {
    const policy = { ...simulatePolicy(undefined), announce: () => undefined };
    await runIncident({
      plan,
      policy,
      journal,
      runId,
      operator: operatorName(),
      signal,
      variables: RunVariables.forPlan(plan, { executes: false }),
    });
  } finally {
    journal.close();
  }
  return writeRunReports(dir, journal.path, { junit: true });
}

export function worstExit(reports: Report[]): number {
  const codes = new Set(reports.map((r) => r.verdict.exitCode ?? EXIT.failed));
  return SEVERITY.find((code) => codes.has(code)) ?? (codes.size > 0 ? Math.max(...codes) : EXIT.ok);
}

function summaryRow(r: Report) {
  return {
    runbook: r.runbook.name,
    incident: r.incident.id,
    runId: r.runId,
    outcome: r.verdict.outcome,
    ttr: ttrText(r.verdict),
    rtoMs: r.verdict.rto.targetMs,
    verdict: verdictWord(r.verdict),
    exitCode: r.verdict.exitCode,
  };
}

function summaryTable(reports: Report[]): string {
  const rows = reports.map(summaryRow);
  return renderTable(
    ['RUNBOOK', 'INCIDENT', 'OUTCOME', 'TIME TO RECOVER', 'VERDICT', 'EXIT', 'RUN'],
    rows.map((r) => [r.runbook, r.incident, r.outcome, r.ttr, r.verdict, String(r.exitCode ?? ''), r.runId]),
  );
}

function operatorName(): string {
  if (process.env.USER) return process.env.USER;
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}
