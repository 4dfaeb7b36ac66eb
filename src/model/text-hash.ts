import { createHash } from 'node:crypto';

const known = new Map<string, string>();

/**
 * The sha256 of a runbook's text, computed once per process: every incident's plan and every rendered
 * page carries it, and a 10,000-step runbook is 1.7 MB of text to hash each time otherwise.
 */
export function textSha256(text: string): string {
  let hash = known.get(text);
  if (hash === undefined) {
    hash = createHash('sha256').update(text).digest('hex');
    known.set(text, hash);
  }
  return hash;
}
