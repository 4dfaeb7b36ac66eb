import { describe, expect, it } from 'vitest';
import { percentileCont, periodStart } from '../../src/report/history-stats.js';

describe('history statistics, as PostgreSQL computes them', () => {
  it('periods start on the UTC day, the Monday of the ISO week, the first of the month', () => {
    // Sunday 6 December 2026, late evening UTC: still the week that began on Monday 30 November.
    expect(periodStart('2026-12-06T23:59:59.999Z', 'day')).toBe('2026-12-06');
    expect(periodStart('2026-12-06T23:59:59.999Z', 'week')).toBe('2026-11-30');
    expect(periodStart('2026-11-30T00:00:00.000Z', 'week')).toBe('2026-11-30');
    expect(periodStart('2026-12-06T23:59:59.999Z', 'month')).toBe('2026-12-01');
  });

  it('p95 interpolates between the two nearest ranks, like percentile_cont', () => {
    // Ranks 0..3; 0.95 * 3 = 2.85: 30 + (40 - 30) * 0.85.
    expect(percentileCont([40, 10, 30, 20], 0.95)).toBeCloseTo(38.5, 10);
    expect(percentileCont([7], 0.95)).toBe(7);
    expect(percentileCont([], 0.95)).toBeNull();
  });
});
