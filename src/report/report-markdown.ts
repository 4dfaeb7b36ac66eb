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
  const out: string[] = [
    ...headerLines(r),
    ...documentationLines(r),
    ...objectiveLines(r),
    ...timelineLines(r),
    ...stepLines(r),
    ...optionalSection(
      'Recorded metrics',
      tableLines(
        ['Step', 'Metric', 'Value', 'By', 'At'],
        r.records.map((m) => `| ${m.step} | ${cell(m.name)} | ${cell(m.value)} | ${cell(m.by)} | ${m.at} |`),
      ),
    ),
    ...(r.recovery
      ? [
          '',
          '## Recovered condition',
          '',
          ...r.recovery.checks.map(
            (c) => `- ${c.ok ? '[x]' : '[ ]'} ${c.description}${c.error ? ` — ${c.error}` : ''}`,
          ),
        ]
      : []),
    ...optionalSection(
      'Status updates sent',
      r.notifications.flatMap((n) => [`- ${n.at} (${n.step}):`, '', ...n.text.split('\n').map((l) => `  > ${l}`), '']),
    ),
    ...optionalSection(
      'Communications',
      tableLines(
        ['At', 'What', 'To', 'Result'],
        communicationRows(r.communications).map(
          (c) => `| ${c.at} | ${cell(c.what)} | ${cell(c.to)} | ${cell(c.result)} |`,
        ),
      ),
    ),
    ...optionalSection(
      'Decisions',
      r.decisions.map((d) => `- ${d.at} ${d.by}: ${d.step} → ${d.choice}${d.note ? ` (${d.note})` : ''}`),
    ),
  ];
  return `${out.join('\n')}\n`;
}

/** A section after the steps: its heading and lines, or nothing when it has no lines. */
function optionalSection(title: string, lines: string[]): string[] {
  return lines.length === 0 ? [] : ['', `## ${title}`, '', ...lines];
}

/** A table's header and separator over its rows; no lines at all when there are no rows. */
function tableLines(header: string[], rows: string[]): string[] {
  return rows.length === 0 ? [] : [`| ${header.join(' | ')} |`, `|${'---|'.repeat(header.length)}`, ...rows];
}

function headerLines(r: Report): string[] {
  return [
    `# Run report: ${r.incident.id} ${r.incident.title}`,
    '',
    `Run \`${r.runId}\` · mode **${r.mode}** · environment **${r.environment}** · operator ${r.operator} · runbook ${r.runbook.name} v${r.runbook.version} (sha256 ${r.runbook.sha256.slice(0, 12)})`,
    '',
    `**Outcome: ${r.outcome}**${r.reason ? ` — ${r.reason}` : ''}`,
    '',
    `**${verdictLine(r.verdict)}**`,
    ...cause(r),
    '',
  ];
}

function documentationLines(r: Report): string[] {
  return [
    '## Test documentation',
    '',
    '| Date | Type | Start | End | Duration | RTO met | RPO met | Metrics | Issues | Remediation | Tester | Reviewer |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
    `| ${r.documentation.date} | ${r.documentation.type} | ${r.documentation.start} | ${r.documentation.end ?? 'unfinished'} | ${formatDuration(r.documentation.durationMs)} | ${yesNo(r.documentation.rtoMet)} | ${yesNo(r.documentation.rpoMet)} | ${cell(r.documentation.metrics.join('; ') || 'none recorded')} | ${cell(r.documentation.issues.join('; ') || 'none')} | ${cell(r.documentation.remediation)} | ${cell(r.documentation.tester)} | ${cell(r.documentation.reviewer ?? '')} |`,
    '',
  ];
}

function objectiveLines(r: Report): string[] {
  return [
    '## Objectives',
    '',
    `- RTO target ${ms(r.rto.targetMs)}; ${r.verdict.simulated ? 'projected time to recover' : 'time to recover'} ${ttrText(r.verdict)}; met: ${yesNo(r.rto.met)} (${rtoText(r.verdict)})`,
    `- RPO target ${ms(r.rpo.targetMs)}; measured data-loss window ${ms(r.rpo.measuredMs)}; met: ${yesNo(r.rpo.met)} (${rpoText(r.verdict)})`,
    '',
  ];
}

function timelineLines(r: Report): string[] {
  const t = phaseTimeline(r);
  return [
    `## ${r.verdict.simulated ? 'Projected timeline' : 'Timeline'}`,
    '',
    `| ${t.header.join(' | ')} |`,
    '|---|---|---|---|---|',
    ...t.rows.map((p) => `| ${cell(p.title)} | ${p.budget} | ${p.actual} | ${p.cumulative} | ${p.status} |`),
    `| **Total** | **${t.total.budget}** | **${t.total.actual}** | | ${cell(totalStatus(t.total))} |`,
    '',
  ];
}

function stepLines(r: Report): string[] {
  const simulated = r.verdict.simulated;
  return [
    '## Steps',
    '',
    '| Step | Phase | Kind | Status | Duration | Notes |',
    '|---|---|---|---|---|---|',
    ...r.steps.map((s) => {
      const notes = [s.error, s.note].filter(Boolean).join(' — ');
      return `| ${s.id} | ${s.phase ?? s.section} | ${s.kind} | ${s.status} | ${simulated ? `~${ms(s.projectedMs ?? 0)}` : formatDuration(s.durationMs)} | ${cell(notes)} |`;
    }),
  ];
}

/** The failure's cause under the verdict: the failing step's last output lines as a code block. */
function cause(r: Report): string[] {
  const lines = causeLines(r.verdict);
  if (lines.length === 0) return [];
  const [head, ...tail] = lines;
  return ['', head ?? '', '', '~~~text', ...tail.map((l) => l.replace(/^ {2}/, '').replace(/~~~/g, '~ ~ ~')), '~~~'];
}
