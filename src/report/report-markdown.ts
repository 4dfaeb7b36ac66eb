import { formatDuration } from '../model/duration.js';
import type { Report } from './build-report.js';

const yesNo = (v: boolean | null) => (v === null ? 'n/a' : v ? 'yes' : 'NO');
const ms = (v: number | null) => (v === null ? 'n/a' : formatDuration(v));
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The run report as Markdown: the seeds' test documentation table, the timeline, every step. */
export function reportMarkdown(r: Report): string {
  const simulated = r.mode === 'simulate';
  const out: string[] = [
    `# Run report: ${r.incident.id} ${r.incident.title}`,
    '',
    `Run \`${r.runId}\` · mode **${r.mode}** · environment **${r.environment}** · operator ${r.operator} · runbook ${r.runbook.name} v${r.runbook.version} (sha256 ${r.runbook.sha256.slice(0, 12)})`,
    '',
    `**Outcome: ${r.outcome}**${r.reason ? ` — ${r.reason}` : ''}`,
    '',
    '## Test documentation',
    '',
    '| Date | Type | Start | End | Duration | RTO met | RPO met | Issues | Remediation |',
    '|---|---|---|---|---|---|---|---|---|',
    `| ${r.documentation.date} | ${r.documentation.type} | ${r.documentation.start} | ${r.documentation.end ?? 'unfinished'} | ${formatDuration(r.documentation.durationMs)} | ${yesNo(r.documentation.rtoMet)} | ${yesNo(r.documentation.rpoMet)} | ${cell(r.documentation.issues.join('; ') || 'none')} | ${cell(r.documentation.remediation)} |`,
    '',
    '## Objectives',
    '',
    `- RTO target ${ms(r.rto.targetMs)}; ${simulated ? `projected ${ms(r.rto.projectedMs)}` : `time to recover ${ms(r.rto.measuredMs)}`}; met: ${yesNo(r.rto.met)}`,
    `- RPO target ${ms(r.rpo.targetMs)}; measured data-loss window ${ms(r.rpo.measuredMs)}; met: ${yesNo(r.rpo.met)}`,
    '',
    `## ${simulated ? 'Projected timeline' : 'Timeline'}`,
    '',
    `| Phase | Budget | ${simulated ? 'Projected' : 'Actual'} | Cumulative | Status |`,
    '|---|---|---|---|---|',
  ];
  let cumulative = 0;
  for (const p of r.phases) {
    cumulative += p.actualMs ?? 0;
    const status = p.actualMs === null ? 'not reached' : p.overrun ? 'OVER BUDGET' : 'within budget';
    out.push(`| ${cell(p.title)} | ${formatDuration(p.budgetMs)} | ${ms(p.actualMs)} | ${formatDuration(cumulative)} | ${status} |`);
  }
  const totalBudget = r.phases.reduce((n, p) => n + p.budgetMs, 0);
  out.push(`| **Total** | **${formatDuration(totalBudget)}** | **${formatDuration(cumulative)}** | | RTO ${ms(r.rto.targetMs)}: ${cumulative <= r.rto.targetMs ? 'within target' : 'OVER TARGET'} |`, '');
  out.push('## Steps', '', '| Step | Phase | Kind | Status | Duration | Notes |', '|---|---|---|---|---|---|');
  for (const s of r.steps) {
    const notes = [s.error, s.note].filter(Boolean).join(' — ');
    out.push(`| ${s.id} | ${s.phase ?? s.section} | ${s.kind} | ${s.status} | ${simulated ? `~${ms(s.projectedMs ?? 0)}` : formatDuration(s.durationMs)} | ${cell(notes)} |`);
  }
  if (r.recovery) {
    out.push('', '## Recovered condition', '');
    for (const c of r.recovery.checks) out.push(`- ${c.ok ? '[x]' : '[ ]'} ${c.description}${c.error ? ` — ${c.error}` : ''}`);
  }
  if (r.notifications.length > 0) {
    out.push('', '## Status updates sent', '');
    for (const n of r.notifications) out.push(`- ${n.at} (${n.step}):`, '', ...n.text.split('\n').map((l) => `  > ${l}`), '');
  }
  if (r.decisions.length > 0) {
    out.push('', '## Decisions', '');
    for (const d of r.decisions) out.push(`- ${d.at} ${d.by}: ${d.step} → ${d.choice}${d.note ? ` (${d.note})` : ''}`);
  }
  return `${out.join('\n')}\n`;
}
