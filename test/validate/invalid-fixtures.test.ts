import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateFile } from '../../src/validate/validate-runbook.js';
import { ROOT } from '../helpers/cli.js';

const DIR = join(ROOT, 'test/fixtures/invalid');
const expected = JSON.parse(readFileSync(join(DIR, 'expected.json'), 'utf8')) as Record<
  string,
  { at: string; message: string }[]
>;
const fixtures = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid runbooks', () => {
  it('has a corpus of at least 25 single-problem fixtures, each with an expectation', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(26);
    expect(Object.keys(expected).sort()).toEqual(fixtures);
    expect(fixtures.filter((f) => expected[f]?.length === 1).length).toBeGreaterThanOrEqual(25);
  });

  it.each(fixtures)('%s is rejected at the exact place', (name) => {
    const result = validateFile(join(DIR, name));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const got = result.errors.map((e) => ({ at: `${e.line}:${e.col}`, message: e.message }));
    const want = expected[name] ?? [];
    expect(got).toHaveLength(want.length);
    want.forEach((w, i) => {
      expect(got[i]?.at).toBe(w.at);
      expect(got[i]?.message).toContain(w.message);
    });
  });

  it('reports many problems at once, sorted by position', () => {
    const result = validateFile(join(DIR, 'many-problems.yaml'));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.length).toBeGreaterThanOrEqual(4);
    const lines = result.errors.map((e) => e.line);
    expect(lines).toEqual([...lines].sort((a, b) => a - b));
  });
});
