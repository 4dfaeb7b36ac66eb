import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { formatDuration } from '../model/duration.js';
import { labBreak } from './lab-break.js';
import { labDown } from './lab-down.js';
import { labUp } from './lab-up.js';
import { labVariableOverrides, type LabLayout } from './layout.js';
import { LAB_SECRET_ENV } from './s3-client.js';
import { verifyData } from './verify-data.js';
import type { Report } from '../report/build-report.js';

export interface DrillResult {
  incident: string;
  runId: string | null;
  exitCode: number | null;
  outcome: string;
  rto: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
  rpo: { targetMs: number | null; measuredMs: number | null; met: boolean | null };
  dataVerified: boolean;
  detail: string;
  passed: boolean;
}

const BIN = fileURLToPath(new URL('../../bin/drillbook.js', import.meta.url));

/** How long one recovery run may take before the drill stops it (SIGTERM: the run finishes its journal). */
const RUN_TIMEOUT_MS = Number(process.env.DRILLBOOK_DRILL_TIMEOUT_MS ?? 30 * 60_000);

/**
 * One drill: a fresh lab, the incident's failure, the runbook's own recovery in auto mode (the
 * same interpreter a responder uses), then the data checked. The lab is left up for inspection.
 */
export async function drillIncident(
  layout: LabLayout,
  incident: string,
  file: string,
  say: (line: string) => void,
): Promise<DrillResult> {
  await labDown(layout, () => undefined);
  await labUp(layout, () => undefined);
  const record = await labBreak(layout, incident);
  say(`${incident}: ${record.description}`);
  const vars = {
    ...labVariableOverrides(layout),
    ...(record.recoveryPoint ? { 'pitr.target_time': record.recoveryPoint } : {}),
  };
  const recovery = runRecovery(incident, file, vars);
  const { report, timedOut } = recovery;
  const data = await verifyData(layout, record);
  // The run's verdict decides; the drill adds its own deadline and data check.
  const passed = !timedOut && report?.verdict.withinTarget === true && data.ok;
  return {
    incident,
    runId: report?.runId ?? null,
    exitCode: recovery.exitCode,
    outcome: report?.outcome ?? 'no report',
    rto: report?.rto ?? { targetMs: null, measuredMs: null, met: null },
    rpo: report?.rpo ?? { targetMs: null, measuredMs: null, met: null },
    dataVerified: data.ok,
    detail: drillDetail(recovery, data.detail),
    passed,
  };
}

interface Recovery {
  report: Report | undefined;
  timedOut: boolean;
  exitCode: number | null;
  stderr: string;
}

/** The runbook's recovery in auto mode, as the built CLI runs it, read back from its JSON report. */
function runRecovery(incident: string, file: string, vars: Record<string, string>): Recovery {
  const run = spawnSync(
    process.execPath,
    [
      BIN,
      'run',
      incident,
      '-f',
      file,
      '--env',
      'lab',
      '--mode',
      'auto',
      '--yes',
      '--json',
      ...Object.entries(vars).flatMap(([k, v]) => ['--var', `${k}=${v}`]),
    ],
    {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: RUN_TIMEOUT_MS,
      killSignal: 'SIGTERM',
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, ...LAB_SECRET_ENV },
    },
  );
  const timedOut = run.error !== undefined && 'code' in run.error && run.error.code === 'ETIMEDOUT';
  let report: Report | undefined;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    report = undefined;
  }
  return { report, timedOut, exitCode: run.status, stderr: run.stderr };
}

/** Why the drill passed or failed: the run's deadline, its reason and failing output, or the data check. */
function drillDetail({ report, timedOut, exitCode, stderr }: Recovery, dataDetail: string): string {
  if (timedOut)
    return `the recovery run did not finish within ${formatDuration(RUN_TIMEOUT_MS)} and was stopped; its journal is under runs/ (drillbook report latest)`;
  if (!report) return `no report: ${stderr.trim().split('\n').slice(-3).join(' | ') || `exit ${String(exitCode)}`}`;
  return report.reason !== null ? `${report.reason}${failedOutput(report)}` : dataDetail;
}

export function drillRow(r: DrillResult): string[] {
  const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(v));
  return [
    r.incident,
    ms(r.rto.targetMs),
    ms(r.rto.measuredMs),
    ms(r.rpo.targetMs),
    ms(r.rpo.measuredMs),
    r.dataVerified ? 'yes' : 'NO',
    r.passed ? 'PASS' : `FAIL (${r.outcome})`,
  ];
}

export const DRILL_HEADER = [
  'INCIDENT',
  'RTO TARGET',
  'RTO MEASURED',
  'RPO TARGET',
  'RPO MEASURED',
  'DATA VERIFIED',
  'RESULT',
];

/** The last lines the failing step printed (the verdict's cause), so a failed drill says why without opening the journal. */
function failedOutput(report: Report): string {
  const cause = report.verdict.cause;
  return cause && cause.tail.length > 0 ? ` (${cause.step} printed: ${cause.tail.join(' | ')})` : '';
}
