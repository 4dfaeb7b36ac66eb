import { durationMs, formatDuration } from '../../model/duration.js';
import type { RuleContext } from './context.js';

/** A plan whose phase budgets add up to more than the RTO cannot meet its own objective. */
export function budgetsFitRto({ runbook, report }: RuleContext): void {
  runbook.incidents.forEach((incident, i) => {
    const total = incident.phases.reduce((sum, phase) => sum + durationMs(phase.budget), 0);
    const rto = durationMs(incident.rto);
    if (total > rto) {
      const parts = incident.phases.map((p) => `${p.id} ${p.budget}`).join(' + ');
      report(`/incidents/${i}/rto`, `${incident.id}: phase budgets add up to ${formatDuration(total)}, over the RTO of ${incident.rto}`, `${parts}; shorten a phase or justify a longer RTO`);
    }
  });
}
