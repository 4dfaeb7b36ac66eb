import { formatDuration } from '../model/duration.js';
import type { Report } from './build-report.js';
import { phaseTimeline, totalStatus } from './phase-timeline.js';
import { communicationRows } from './communications.js';
import { causeLines, rpoText, rtoText, ttrText, verdictLine } from '../verdict/verdict-text.js';

const yesNo = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'NO');
const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(v));
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The run report as Markdown: the seeds' test documentation table, the timeline, every step. */
export function reportMarkdown(r: Report): string {
  const simulated = r.verdict.simulated;
  const out: string[] = [
    `# Run report: ${r.incident.id} ${r.incident.title}`,
    '',
    `Run \`${r.runId}\` · mode **${r.mode}** · environment **${r.environment}** · operator ${r.operator} · runbook ${r.runbook.name} v${r.runbook.version} (sha256 ${r.runbook.sha256.slice(0, 12)})`,
    '',
    `**Outcome: ${r.outcome}**${r.reason ? ` — ${r.reason}` : ''}`,
    '',
    `**${verdictLine(r.verdict)}**`,
    ...cause(r),
    '',
    '## Test documentation',
    '',
    '| Date | Type | Start | End | Duration | RTO met | RPO met | Metrics | Issues | Remediation | Tester | Reviewer |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.documentation.date} | ${r.documentation.type} | ${r.documentation.start} | ${r.documentation.end ?? 'unfinished'} | ${formatDuration(r.documentation.durationMs)} | ${yesNo(r.documentation.rtoMet)} | ${yesNo(r.documentation.rpoMet)} | ${cell(r.documentation.metrics.join('; ') || 'none recorded')} | ${cell(r.documentation.issues.join('; ') || 'none')} | ${cell(r.documentation.remediation)} | ${cell(r.documentation.tester)} | ${cell(r.documentation.reviewer ?? '')} |`,
    '',
    '## Objectives',
    '',
    `- RTO target ${ms(r.rto.targetMs)}; ${simulated ? 'projected time to recover' : 'time to recover'} ${ttrText(r.verdict)}; met: ${yesNo(r.rto.met)} (${rtoText(r.verdict)})`,
    `- RPO target ${ms(r.rpo.targetMs)}; measured data-loss window ${ms(r.rpo.measuredMs)}; met: ${yesNo(r.rpo.met)} (${rpoText(r.verdict)})`,
    '',
    `## ${simulated ? 'Projected timeline' : 'Timeline'}`,
    '',
  ];
  const t = phaseTimeline(r);
  out.push(`| ${t.header.join(' | ')} |`, '|---|---|---|---|---|');
  for (const p of t.rows) out.push(`| ${cell(p.title)} | ${p.budget} | ${p.actual} | ${p.cumulative} | ${p.status} |`);
  out.push(`| **Total** | **${t.total.budget}** | **${t.total.actual}** | | ${cell(totalStatus(t.total))} |`, '');
  out.push('## Steps', '', '| Step | Phase | Kind | Status | Duration | Notes |', '|---|---|---|---|---|---|');
  for (const s of r.steps) {
    const notes = [s.error, s.note].filter(Boolean).join(' — ');
    out.push(
      `| ${s.id} | ${s.phase ?? s.section} | ${s.kind} | ${s.status} | ${simulated ? `~${ms(s.projectedMs ?? 0)}` : formatDuration(s.durationMs)} | ${cell(notes)} |`,
    );
  }
  if (r.records.length > 0) {
    out.push('', '## Recorded metrics', '', '| Step | Metric | Value | By | At |', '|---|---|---|---|---|');
    for (const m of r.records) out.push(`| ${m.step} | ${cell(m.name)} | ${cell(m.value)} | ${cell(m.by)} | ${m.at} |`);
  }
  if (r.recovery) {
    out.push('', '## Recovered condition', '');
    for (const c of r.recovery.checks)
      out.push(`- ${c.ok ? '[x]' : '[ ]'} ${c.description}${c.error ? ` — ${c.error}` : ''}`);
  }
  if (r.notifications.length > 0) {
    out.push('', '## Status updates sent', '');
    for (const n of r.notifications)
      out.push(`- ${n.at} (${n.step}):`, '', ...n.text.split('\n').map((l) => `  > ${l}`), '');
  }
  const comms = communicationRows(r.communications);
  if (comms.length > 0) {
    out.push('', '## Communications', '', '| At | What | To | Result |', '|---|---|---|---|');
    for (const c of comms) out.push(`| ${c.at} | ${cell(c.what)} | ${cell(c.to)} | ${cell(c.result)} |`);
  }
  if (r.decisions.length > 0) {
    out.push('', '## Decisions', '');
    for (const d of r.decisions) out.push(`- ${d.at} ${d.by}: ${d.step} → ${d.choice}${d.note ? ` (${d.note})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}

/** The failure's cause under the verdict: the failing step's last output lines as a code block. */
function cause(r: Report): string[] {
  const lines = causeLines(r.verdict);
  if (lines.length === 0) return [];
  const [head, ...tail] = lines;
  return ['', head ?? '', '', '~~~text', ...tail.map((l) => l.replace(/^ {2}/, '').replace(/~~~/g, '~ ~ ~')), '~~~'];
}
