import { durationMs, formatDuration } from '../../model/duration.js';
import { countsTowardRto, rtoBudgetMs } from '../../plan/rto-clock.js';
import type { RuleContext } from './context.js';

/**
 * A plan whose phase budgets add up to more than the RTO cannot meet its own objective. Phases outside
 * the RTO clock are left out of the sum (their budgets are checked on their own when they run), but at
 * least one phase must count: an incident whose every phase is outside the clock has no recovery to time.
 */
export function budgetsFitRto({ runbook, report }: RuleContext): void {
  runbook.incidents.forEach((incident, i) => {
    const phases = incident.phases.map((p) => ({
      id: p.id,
      budget: p.budget,
      budgetMs: durationMs(p.budget),
      outsideRto: p.outside_rto === true,
    }));
    const counting = phases.filter(countsTowardRto);
    if (counting.length === 0) {
      report(
        `/incidents/${i}/phases`,
        `${incident.id}: every phase is outside the RTO clock (outside_rto: true)`,
        'at least one phase must be part of the recovery; drop outside_rto from the phases that restore service',
      );
      return;
    }
    const total = rtoBudgetMs(phases);
    const rto = durationMs(incident.rto);
    if (total > rto) {
      const parts = counting.map((p) => `${p.id} ${p.budget}`).join(' + ');
      const outside = phases.length > counting.length ? ' (phases outside the RTO clock not counted)' : '';
      report(
        `/incidents/${i}/rto`,
        `${incident.id}: phase budgets add up to ${formatDuration(total)}, over the RTO of ${incident.rto}${outside}`,
        `${parts}; shorten a phase or justify a longer RTO`,
      );
    }
  });
}
