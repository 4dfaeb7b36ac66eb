import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { drillbook, ROOT } from '../helpers/cli.js';

const SHIPPED = join(ROOT, 'playbooks', 'thebot-dr.yaml');

function scratch(): { dir: string; cache: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-cache-'));
  const file = join(dir, 'runbook.yaml');
  copyFileSync(SHIPPED, file);
  return { dir, cache: join(dir, 'cache'), file };
}

describe('the cache of valid runbooks', () => {
  it('gives the same answers from the cache, and an edit is validated afresh with its position', () => {
    const { cache, file } = scratch();
    const env = { DRILLBOOK_CACHE: cache };
    const first = drillbook(['validate', file], { env });
    expect(first.status).toBe(0);
    expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(1);

    const again = drillbook(['validate', file], { env });
    expect(again).toEqual(first);
    const plan = drillbook(['plan', 'INC-003', '-f', file, '--env', 'production'], { env });
    const planUncached = drillbook(['plan', 'INC-003', '-f', file, '--env', 'production'], {
      env: { DRILLBOOK_CACHE: 'off' },
    });
    expect(plan.status).toBe(0);
    expect(plan.stdout).toBe(planUncached.stdout);

    // The same file, now broken: the cached verdict of its old text must not answer for it.
    const text = readFileSync(file, 'utf8');
    const lines = text.split('\n');
    const rtoLine = lines.findIndex((l) => /^\s+rto: 20m\s*$/.test(l));
    expect(rtoLine).toBeGreaterThan(0);
    lines[rtoLine] = (lines[rtoLine] ?? '').replace('20m', 'twenty minutes');
    writeFileSync(file, lines.join('\n'));
    const broken = drillbook(['validate', file], { env });
    expect(broken.status).toBe(2);
    expect(broken.stderr).toContain(`${file}:${rtoLine + 1}:`);
    expect(broken.stderr).toMatch(/rto must be a duration/);
    // Invalid runbooks are never cached.
    expect(readdirSync(cache).filter((f) => f.endsWith('.json'))).toHaveLength(1);
  });

  it('writes nothing with DRILLBOOK_CACHE=off, and a cache it cannot write only costs speed', () => {
    const { dir, file } = scratch();
    const off = drillbook(['validate', file], { env: { DRILLBOOK_CACHE: 'off', XDG_CACHE_HOME: join(dir, 'xdg') } });
    expect(off.status).toBe(0);
    expect(readdirSync(dir)).toEqual(['runbook.yaml']);

    // A file where the cache folder should be: nothing can be written there.
    const blocked = join(dir, 'blocked');
    writeFileSync(blocked, '');
    const r = drillbook(['validate', file], { env: { DRILLBOOK_CACHE: blocked } });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
  });
});
