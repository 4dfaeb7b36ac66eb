import { runSecrets } from '../secrets.js';
import type { Expect, Matcher } from '../../model/runbook.js';

/** Reads a field a probe reported; dotted names walk into objects (json.database.status). */
export function fieldValue(fields: Record<string, unknown>, name: string): unknown {
  if (name in fields) return fields[name];
  let node: unknown = fields;
  for (const part of name.split('.')) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

/** Every expectation that does not hold, as readable text; empty when all hold. */
export function unmetExpectations(expect: Expect, fields: Record<string, unknown>): string[] {
  const unmet: string[] = [];
  for (const [name, matcher] of Object.entries(expect)) {
    const actual = fieldValue(fields, name);
    const failure = matchFailure(matcher, actual);
    if (failure) unmet.push(`${name} ${failure} (got ${show(actual)})`);
  }
  return unmet;
}

function matchFailure(matcher: Matcher, actual: unknown): string | undefined {
  if (matcher === null || typeof matcher !== 'object')
    return looseEquals(actual, matcher) ? undefined : `expected ${show(matcher)}`;
  const checks: [boolean, string][] = [];
  if ('exists' in matcher)
    checks.push([
      (actual !== undefined && actual !== null) === matcher.exists,
      matcher.exists ? 'expected to exist' : 'expected not to exist',
    ]);
  if ('eq' in matcher) checks.push([looseEquals(actual, matcher.eq), `expected ${show(matcher.eq)}`]);
  if ('ne' in matcher) checks.push([!looseEquals(actual, matcher.ne), `expected anything but ${show(matcher.ne)}`]);
  if (matcher.lt !== undefined) checks.push([num(actual) < num(matcher.lt), `expected < ${matcher.lt}`]);
  if (matcher.le !== undefined) checks.push([num(actual) <= num(matcher.le), `expected <= ${matcher.le}`]);
  if (matcher.gt !== undefined) checks.push([num(actual) > num(matcher.gt), `expected > ${matcher.gt}`]);
  if (matcher.ge !== undefined) checks.push([num(actual) >= num(matcher.ge), `expected >= ${matcher.ge}`]);
  if (matcher.matches !== undefined)
    checks.push([new RegExp(matcher.matches).test(asText(actual)), `expected to match /${matcher.matches}/`]);
  return checks.find(([ok]) => !ok)?.[1];
}

/** Probes report what their client gives (pg returns counts as strings): compare by meaning. */
function looseEquals(actual: unknown, expected: unknown): boolean {
  if (actual === expected) return true;
  if (expected === null || actual === null || actual === undefined) return false;
  if (typeof expected === 'boolean')
    return asText(actual).toLowerCase() === (expected ? 'true' : 'false') || actual === (expected ? 't' : 'f');
  if (typeof expected === 'number') return num(actual) === expected;
  return asText(actual) === asText(expected);
}

/** A field as text: objects as JSON, never "[object Object]". */
export function asText(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  return JSON.stringify(value) ?? '';
}

function num(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return Number.NaN;
}

/** A value in a message, at most 80 characters, secrets masked before the cut. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  return runSecrets().head(typeof value === 'string' ? value : JSON.stringify(value), 80, '...');
}
