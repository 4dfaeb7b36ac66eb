import type { Report } from './build-report.js';

const FAILED = new Set(['failed', 'timed-out', 'unknown']);

export interface JunitCase { name: string; classname: string; seconds: number; outcome: 'passed' | 'failure' | 'skipped'; message?: string; output?: string }

/**
 * One testcase per step, so CI dashboards show a drill like a test run: failed, timed-out and unknown
 * steps are failures, skipped steps are skipped, and phase steps the run never reached (it stopped
 * earlier; the journal's run-started event lists them) are skipped with the message "not reached".
 */
export function junitCases(r: Report): JunitCase[] {
  const cases: JunitCase[] = r.steps.map((s) => ({
    name: s.title && s.title !== s.id ? `${s.id}: ${s.title}` : s.id,
    classname: `${r.incident.id}.${s.phase ?? s.section}`,
    seconds: s.durationMs / 1000,
    outcome: FAILED.has(s.status) ? 'failure' : s.status === 'skipped' ? 'skipped' : 'passed',
    ...(FAILED.has(s.status) ? { message: `${s.status}${s.error ? `: ${s.error}` : s.note ? `: ${s.note}` : ''}` } : s.status === 'skipped' ? { message: s.note ?? 'skipped' } : {}),
    ...(s.output ? { output: s.output } : {}),
  }));
  const seen = new Set(r.steps.map((s) => s.id));
  for (const phase of r.phases) {
    for (const id of phase.steps) {
      if (!seen.has(id)) cases.push({ name: id, classname: `${r.incident.id}.${phase.id}`, seconds: 0, outcome: 'skipped', message: 'not reached: the run stopped before this step' });
    }
  }
  return cases;
}

/** JUnit XML (the Jenkins/GitLab dialect): one testsuite per run, counts that add up, RTO/RPO as properties. */
export function reportJunit(r: Report): string {
  const cases = junitCases(r);
  const failures = cases.filter((c) => c.outcome === 'failure').length;
  const skipped = cases.filter((c) => c.outcome === 'skipped').length;
  const time = (r.durationMs / 1000).toFixed(3);
  const props: [string, string][] = [
    ['run.id', r.runId], ['mode', r.mode], ['environment', r.environment], ['outcome', r.outcome], ['runbook', `${r.runbook.name} ${r.runbook.version}`],
    ['rto.target_ms', String(r.rto.targetMs)], ['rto.measured_ms', String(r.rto.measuredMs ?? r.rto.projectedMs ?? '')], ['rto.met', String(r.rto.met ?? 'n/a')],
    ['rpo.target_ms', String(r.rpo.targetMs ?? '')], ['rpo.measured_ms', String(r.rpo.measuredMs ?? '')], ['rpo.met', String(r.rpo.met ?? 'n/a')],
  ];
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="drillbook" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}">`,
    `  <testsuite name="${x(`${r.incident.id} ${r.incident.title}`)}" id="${x(r.runId)}" tests="${cases.length}" failures="${failures}" errors="0" skipped="${skipped}" time="${time}" timestamp="${x(r.startedAt.replace(/\.\d+Z$/, ''))}" hostname="${x(r.environment)}">`,
    '    <properties>',
    ...props.map(([name, value]) => `      <property name="${x(name)}" value="${x(value)}"/>`),
    '    </properties>',
  ];
  for (const c of cases) {
    const open = `    <testcase name="${x(c.name)}" classname="${x(c.classname)}" time="${c.seconds.toFixed(3)}"`;
    const inner: string[] = [];
    if (c.outcome === 'failure') inner.push(`      <failure message="${x(c.message ?? 'failed')}" type="${x(c.message?.split(':')[0] ?? 'failed')}"/>`);
    if (c.outcome === 'skipped') inner.push(`      <skipped message="${x(c.message ?? 'skipped')}"/>`);
    if (c.output && c.outcome === 'failure') inner.push(`      <system-out>${x(c.output)}</system-out>`);
    out.push(inner.length === 0 ? `${open}/>` : `${open}>\n${inner.join('\n')}\n    </testcase>`);
  }
  out.push('  </testsuite>', '</testsuites>', '');
  return out.join('\n');
}

/** Escapes for XML text and attributes, dropping characters XML 1.0 cannot carry (terminal escapes in output). */
function x(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&apos;');
}
