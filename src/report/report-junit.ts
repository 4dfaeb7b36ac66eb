import { formatDuration } from '../model/duration.js';
import { rpoText, rtoText, verdictLine } from '../verdict/verdict-text.js';
import type { Report } from './build-report.js';

const FAILED = new Set(['failed', 'timed-out', 'unknown']);

export interface JunitCase {
  name: string;
  classname: string;
  seconds: number;
  outcome: 'passed' | 'failure' | 'skipped';
  message?: string;
  text?: string;
  output?: string;
}

/**
 * One testcase per step, so CI dashboards show a drill like a test run: failed, timed-out and unknown
 * steps are failures, skipped steps are skipped, and phase steps the run never reached (it stopped
 * earlier; the journal's run-started event lists them) are skipped with the message "not reached".
 * Then the objectives, judged by the verdict: RTO and RPO are testcases of their own, so that a breach
 * (a simulation's projected breach too) or a run that never recovered turns the suite red.
 */
export function junitCases(r: Report): JunitCase[] {
  const causeStep = r.verdict.cause?.step;
  const cases: JunitCase[] = r.steps.map((s) => ({
    name: s.title && s.title !== s.id ? `${s.id}: ${s.title}` : s.id,
    classname: `${r.incident.id}.${s.phase ?? s.section}`,
    seconds: s.durationMs / 1000,
    outcome: FAILED.has(s.status) ? 'failure' : s.status === 'skipped' ? 'skipped' : 'passed',
    ...(FAILED.has(s.status)
      ? { message: `${s.status}${s.error ? `: ${s.error}` : s.note ? `: ${s.note}` : ''}` }
      : s.status === 'skipped'
        ? { message: s.note ?? 'skipped' }
        : {}),
    ...(s.id === causeStep && r.verdict.cause ? { text: r.verdict.cause.tail.join('\n') } : {}),
    ...(s.output ? { output: s.output } : {}),
  }));
  const seen = new Set(r.steps.map((s) => s.id));
  for (const phase of r.phases) {
    for (const id of phase.steps) {
      if (!seen.has(id))
        cases.push({
          name: id,
          classname: `${r.incident.id}.${phase.id}`,
          seconds: 0,
          outcome: 'skipped',
          message: 'not reached: the run stopped before this step',
        });
    }
  }
  return [...cases, ...communicationsCase(r), rtoCase(r), rpoCase(r)];
}

/** A run that sent messages has one more testcase: it fails when a delivery failed. */
function communicationsCase(r: Report): JunitCase[] {
  const sent = r.communications.deliveries;
  if (sent.length === 0) return [];
  const failed = sent.filter((d) => !d.ok);
  const base = { name: 'communications', classname: `${r.incident.id}.communications`, seconds: 0 };
  if (failed.length === 0) return [{ ...base, outcome: 'passed' }];
  return [
    {
      ...base,
      outcome: 'failure',
      message: failed.map((d) => `${d.about} → ${d.channel}: ${d.error ?? 'failed'}`).join('; '),
    },
  ];
}

function rtoCase(r: Report): JunitCase {
  const v = r.verdict;
  const seconds = (v.ttr.ms ?? 0) / 1000;
  const base = { name: `RTO ${formatDuration(v.rto.targetMs)}`, classname: `${r.incident.id}.objectives`, seconds };
  if (v.rtoMet === true) return { ...base, outcome: 'passed' };
  const breach = v.breaches.find((b) => b.objective === 'rto');
  const message = breach
    ? `${breach.projected ? 'projected breach' : 'breach'}: ${breach.text} (target ${v.rto.targetMs} ms, ${breach.projected ? 'projected' : 'measured'} ${breach.actualMs} ms)`
    : `${rtoText(v)}: ${v.outcome}`;
  return { ...base, outcome: 'failure', message, text: verdictLine(v) };
}

function rpoCase(r: Report): JunitCase {
  const v = r.verdict;
  const base = {
    name: v.rpo.targetMs === null ? 'RPO' : `RPO ${formatDuration(v.rpo.targetMs)}`,
    classname: `${r.incident.id}.objectives`,
    seconds: 0,
  };
  if (v.rpo.met === true) return { ...base, outcome: 'passed' };
  if (v.rpo.met === null) return { ...base, outcome: 'skipped', message: rpoText(v) };
  const breach = v.breaches.find((b) => b.objective === 'rpo');
  return {
    ...base,
    outcome: 'failure',
    message: `breach: ${breach?.text ?? rpoText(v)} (target ${v.rpo.targetMs ?? ''} ms, measured ${v.rpo.measuredMs ?? ''} ms)`,
    text: verdictLine(v),
  };
}

/** JUnit XML (the Jenkins/GitLab dialect) of one run: one testsuite, counts that add up, RTO/RPO as properties too. */
export function reportJunit(r: Report): string {
  return junitDocument([r]);
}

/** Several runs (run --all) in one document: a testsuite per run, the totals on <testsuites>. */
export function junitDocument(reports: Report[]): string {
  const suites = reports.map((r) => ({ r, cases: junitCases(r) }));
  const count = (outcome: JunitCase['outcome']) =>
    suites.reduce((n, s) => n + s.cases.filter((c) => c.outcome === outcome).length, 0);
  const tests = suites.reduce((n, s) => n + s.cases.length, 0);
  const time = (suites.reduce((n, s) => n + s.r.durationMs, 0) / 1000).toFixed(3);
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="drillbook" tests="${tests}" failures="${count('failure')}" errors="0" skipped="${count('skipped')}" time="${time}">`,
    ...suites.map(({ r, cases }) => junitSuite(r, cases)),
    '</testsuites>',
    '',
  ].join('\n');
}

function junitSuite(r: Report, cases: JunitCase[]): string {
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const skipped = cases.filter((c) => c.outcome === 'skipped').length;
  const time = (r.durationMs / 1000).toFixed(3);
  const props: [string, string][] = [
    ['run.id', r.runId],
    ['mode', r.mode],
    ['environment', r.environment],
    ['outcome', r.outcome],
    ['verdict', verdictLine(r.verdict)],
    ['runbook', `${r.runbook.name} ${r.runbook.version}`],
    ['rto.target_ms', String(r.rto.targetMs)],
    ['rto.measured_ms', String(r.rto.measuredMs ?? r.rto.projectedMs ?? '')],
    ['rto.met', String(r.rto.met ?? 'n/a')],
    ['rpo.target_ms', String(r.rpo.targetMs ?? '')],
    ['rpo.measured_ms', String(r.rpo.measuredMs ?? '')],
    ['rpo.met', String(r.rpo.met ?? 'n/a')],
    ['tester', r.documentation.tester],
    ...(r.documentation.reviewer !== null ? [['reviewer', r.documentation.reviewer] as [string, string]] : []),
    ...r.records.map((m): [string, string] => [`record.${m.step}.${m.name}`, m.value]),
  ];
  const out = [
    `  <testsuite name="${x(`${r.incident.id} ${r.incident.title}`)}" package="${x(r.runbook.name)}" id="${x(r.runId)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${x(r.startedAt.replace(/\.\d+Z$/, ''))}" hostname="${x(r.environment)}">`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property name="${x(name)}" value="${x(value)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase name="${x(c.name)}" classname="${x(c.classname)}" time="${c.seconds.toFixed(3)}"`;
    const inner: string[] = [];
    const type = x(c.message?.split(':')[0] ?? 'failed');
    if (c.outcome === 'failure')
      inner.push(
        c.text
          ? `      <failure message="${x(c.message ?? 'failed')}" type="${type}">${x(c.text)}</failure>`
          : `      <failure message="${x(c.message ?? 'failed')}" type="${type}"/>`,
      );
    if (c.outcome === 'skipped') inner.push(`      <skipped message="${x(c.message ?? 'skipped')}"/>`);
    if (c.output && c.outcome === 'failure') inner.push(`      <system-out>${x(c.output)}</system-out>`);
    out.push(inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`);
  }
  out.push('  </testsuite>');
  return out.join('\n');
}

/** Escapes for XML text and attributes, dropping characters XML 1.0 cannot carry (terminal escapes in output). */
function x(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}
