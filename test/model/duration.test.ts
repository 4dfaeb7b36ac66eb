import { describe, expect, it } from 'vitest';
import { formatDuration, parseDuration } from '../../src/model/duration.js';

describe('durations', () => {
  it('parses the forms runbooks use', () => {
    expect(parseDuration('90s')).toBe(90_000);
    expect(parseDuration('5m')).toBe(300_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('0s')).toBe(0);
  });
  it('rejects anything else', () => {
    for (const bad of ['', '5', '5 m', 'm5', '1.5h', '-1m', '5min']) expect(parseDuration(bad)).toBeUndefined();
  });
  it('formats compactly', () => {
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(270_000)).toBe('4m30s');
    expect(formatDuration(12_000)).toBe('12s');
    expect(formatDuration(400)).toBe('400ms');
    expect(formatDuration(2_500)).toBe('2.5s');
  });
});
