import { codeBlock } from '../markdown/text.js';
import type { IncidentView } from '../render-input.js';

/**
 * The seeds' post-drill report, pre-filled with what the runbook already knows (incident, targets,
 * metrics). A fenced block, so it copies into a ticket or a wiki page unchanged.
 */
export function drillReportTemplate({ incident, plan }: IncidentView): string[] {
  const metrics = (incident.metrics ?? []).map((m) => `- ${m.name}: [measured]${m.unit ? ` ${m.unit}` : ''}${m.target ? ` (target ${m.target})` : ''}`);
  const text = [
    `# DR Drill Report - ${incident.id} - [DATE]`,
    '',
    '## Executive Summary',
    `- Drill Type: Tabletop exercise (${incident.id} ${incident.title})`,
    '- Duration: [Actual time]',
    '- Overall Result: [Success/Partial/Failed]',
    '',
    '## Metrics',
    `- RTO Target: ${incident.rto}`,
    '- RTO Achieved: [walked-through time]',
    `- RPO Target: ${plan.incident.rpo ?? 'n/a'}`,
    '- RPO Achieved: [estimated data loss]',
    ...metrics,
    '',
    '## What Went Well',
    '1. [Item 1]',
    '2. [Item 2]',
    '',
    '## Issues Encountered',
    '1. [Issue 1]',
    '   - Impact: [High/Medium/Low]',
    '   - Resolution: [How resolved]',
    '   - Action item: [What to improve]',
    '',
    '## Action Items',
    '| Item | Owner | Due Date | Priority |',
    '|------|-------|----------|----------|',
    '| [Action] | [Person] | [Date] | [H/M/L] |',
    '',
    '## Recommendations',
    '1. [Recommendation 1]',
    '2. [Recommendation 2]',
    '',
    '## Next Steps',
    '- [ ] Update runbooks',
    '- [ ] Schedule training',
    '- [ ] Implement improvements',
  ].join('\n');
  return codeBlock(text, 'markdown');
}
