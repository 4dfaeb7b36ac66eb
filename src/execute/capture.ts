import type { CaptureRule } from '../model/runbook.js';
import { asText, fieldValue } from './checks/expect.js';
import type { Attempt } from './executors/executor.js';

/** Extracts captured variables from an attempt: stdout (whole, regex group 1, JSON path) or a probe field. */
export function captureValues(
  rules: Record<string, CaptureRule>,
  attempt: Attempt,
): { values: Record<string, string>; errors: string[] } {
  const values: Record<string, string> = {};
  const errors: string[] = [];
  for (const [name, rule] of Object.entries(rules)) {
    const value = extract(rule, attempt);
    if (value === undefined) errors.push(`capture ${name}: ${describeRule(rule)} found nothing`);
    else values[name] = value;
  }
  return { values, errors };
}

function extract(rule: CaptureRule, attempt: Attempt): string | undefined {
  if (rule.field !== undefined) return stringify(fieldValue(attempt.fields ?? {}, rule.field));
  const text = (attempt.stdout ?? '').trim();
  if (rule.regex !== undefined) {
    const m = new RegExp(rule.regex, 'm').exec(text);
    return m ? (m[1] ?? m[0]) : undefined;
  }
  if (rule.json !== undefined) {
    try {
      return stringify(fieldValue({ $: JSON.parse(text) as unknown }, `$.${rule.json}`));
    } catch {
      return undefined;
    }
  }
  return text;
}

function stringify(value: unknown): string | undefined {
  return value === undefined || value === null ? undefined : asText(value);
}

function describeRule(rule: CaptureRule): string {
  if (rule.field !== undefined) return `field ${rule.field}`;
  if (rule.regex !== undefined) return `/${rule.regex}/ on stdout`;
  if (rule.json !== undefined) return `JSON ${rule.json} of stdout`;
  return 'stdout';
}
