import { describe, expect, it } from 'vitest';
import { decide, endingOf, type Ending } from '../../src/verdict/decide.js';

const base = { simulated: false, rtoTargetMs: 300_000, rpoTargetMs: 60_000, rpoMeasuredMs: null };

describe('decide: the only judge of outcome, "met" and exit code', () => {
  it.each<[string, Ending, number | null, number | null, boolean, object]>([
    [
      'recovered in time',
      'recovered',
      200_000,
      1_000,
      false,
      { outcome: 'recovered', exitCode: 0, rtoMet: true, rpoMet: true, withinTarget: true },
    ],
    [
      'recovered on the dot',
      'recovered',
      300_000,
      null,
      false,
      { outcome: 'recovered', exitCode: 0, rtoMet: true, rpoMet: null, withinTarget: true },
    ],
    [
      'recovered late',
      'recovered',
      300_001,
      null,
      false,
      { outcome: 'recovered', exitCode: 3, rtoMet: false, withinTarget: false },
    ],
    [
      'lost too much data',
      'recovered',
      1_000,
      60_001,
      false,
      { outcome: 'recovered', exitCode: 3, rtoMet: true, rpoMet: false, withinTarget: false },
    ],
    [
      'projected late',
      'recovered',
      400_000,
      null,
      true,
      { outcome: 'simulated', exitCode: 3, rtoMet: false, withinTarget: false },
    ],
    [
      'failed',
      'step-failed',
      null,
      null,
      false,
      { outcome: 'failed', exitCode: 1, rtoMet: false, withinTarget: false },
    ],
    [
      'rolled back (simulated, even with a projection)',
      'rolled-back',
      10_000,
      null,
      true,
      { outcome: 'rolled-back', exitCode: 1, rtoMet: false, withinTarget: false },
    ],
    ['aborted', 'aborted', null, null, false, { outcome: 'aborted', exitCode: 1, rtoMet: false, withinTarget: false }],
    [
      'not recovered',
      'not-recovered',
      null,
      null,
      false,
      { outcome: 'not-recovered', exitCode: 1, rtoMet: false, withinTarget: false },
    ],
    [
      'interrupted',
      'interrupted',
      null,
      1_000,
      false,
      { outcome: 'interrupted', exitCode: 130, rtoMet: null, rpoMet: true, withinTarget: false },
    ],
    [
      'unfinished (a crash)',
      'unfinished',
      null,
      null,
      false,
      { outcome: 'unfinished', exitCode: null, rtoMet: null, withinTarget: false },
    ],
  ])('%s', (_name, ending, recoveredAtMs, rpoMeasuredMs, simulated, want) => {
    expect(decide({ ...base, ending, recoveredAtMs, rpoMeasuredMs, simulated })).toMatchObject(want);
  });

  it('reads back every outcome it writes', () => {
    for (const ending of [
      'recovered',
      'not-recovered',
      'step-failed',
      'aborted',
      'rolled-back',
      'interrupted',
    ] as Ending[]) {
      const { outcome } = decide({ ...base, ending, recoveredAtMs: 1_000 });
      expect(endingOf(outcome)).toBe(ending);
    }
  });
});
