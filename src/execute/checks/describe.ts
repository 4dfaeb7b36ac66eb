import { checkKind, type CheckSpec, type Expect, type Matcher, type Scalar } from '../../model/runbook.js';
import { plainWords, type Words } from './check-kind.js';
import { CHECK_KINDS } from './kinds.js';

/** What a check probes, in its kind's own words: the subject of run output and error messages. */
export function checkSubject(spec: CheckSpec, words: Words = plainWords): string {
  const kind = checkKind(spec);
  return spec.name ? words.name(spec.name) : CHECK_KINDS[kind].describe(spec[kind], words).what;
}

/**
 * A check in words: what it probes, what it expects (the runbook's expectation, or the kind's
 * default), its deadline. The one description that simulate, the step card and the documents show.
 */
export function describeCheck(spec: CheckSpec, words: Words = plainWords): string {
  const kind = checkKind(spec);
  const options = spec[kind] as { expect?: Expect };
  const { what, defaults, always } = CHECK_KINDS[kind].describe(options, words);
  const expectation = [always, options.expect ? describeExpect(options.expect, words) : defaults]
    .filter(Boolean)
    .join(', ');
  const name = spec.name ? `${words.name(spec.name)}: ` : '';
  const deadline = spec.timeout ? ` (deadline ${spec.timeout})` : '';
  return `${name}${what}${expectation ? `; expect ${expectation}` : ''}${deadline}`;
}

/** `status = 200, lag_seconds < 5` */
export function describeExpect(expect: Expect, words: Words = plainWords): string {
  return Object.entries(expect)
    .map(([field, matcher]) => `${words.code(field)} ${describeMatcher(matcher, words)}`)
    .join(', ');
}

function describeMatcher(m: Matcher, words: Words): string {
  const value = (v: Scalar | null) => (typeof v === 'string' ? words.code(v) : String(v));
  if (m === null || typeof m !== 'object') return `= ${value(m)}`;
  const parts: string[] = [];
  if (m.eq !== undefined) parts.push(`= ${value(m.eq)}`);
  if (m.ne !== undefined) parts.push(`≠ ${value(m.ne)}`);
  if (m.lt !== undefined) parts.push(`< ${value(m.lt)}`);
  if (m.le !== undefined) parts.push(`≤ ${value(m.le)}`);
  if (m.gt !== undefined) parts.push(`> ${value(m.gt)}`);
  if (m.ge !== undefined) parts.push(`≥ ${value(m.ge)}`);
  if (m.matches !== undefined) parts.push(`matches ${words.code(`/${m.matches}/`)}`);
  if (m.exists !== undefined) parts.push(m.exists ? 'present' : 'absent');
  return parts.join(' and ');
}
