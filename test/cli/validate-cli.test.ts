import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';

const invalid = readdirSync('test/fixtures/invalid').filter((f) => f.endsWith('.yaml'));

describe('drillbook validate', () => {
  it('passes every shipped playbook with a one-line summary each', () => {
    const r = drillbook(['validate']);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const playbooks = readdirSync('playbooks').filter((f) => f.endsWith('.yaml'));
    expect(playbooks).toContain('thebot-dr.yaml');
    expect(r.stdout.trim().split('\n')).toHaveLength(playbooks.length);
    expect(r.stdout).toMatch(/^ok playbooks\/thebot-dr\.yaml: 6 incidents, \d+ steps$/m);
  });

  it('rejects every invalid fixture with exit 2, FILE:LINE:COL messages and no stack trace', () => {
    const r = drillbook(['validate', ...invalid.map((f) => `test/fixtures/invalid/${f}`)]);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).not.toMatch(/^\s+at /m);
    for (const f of invalid)
      expect(r.stderr).toMatch(new RegExp(`^test/fixtures/invalid/${f.replace('.', '\\.')}:\\d+:\\d+: `, 'm'));
  });

  it('says a missing file is missing, with exit 2', () => {
    const r = drillbook(['validate', 'no/such/runbook.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('no/such/runbook.yaml:1:1: file not found');
  });
});

describe('drillbook list and plan', () => {
  it('lists the six THE_BOT incidents with their RTO and RPO', () => {
    const r = drillbook(['list', '--json']);
    expect(r.status).toBe(0);
    const rows = JSON.parse(r.stdout) as { id: string; rto: string; rpo: string }[];
    expect(rows.map((x) => [x.id, x.rto])).toEqual([
      ['INC-001', '5m'],
      ['INC-002', '30m'],
      ['INC-003', '20m'],
      ['INC-004', '5m'],
      ['INC-005', '60m'],
      ['INC-006', '45m'],
    ]);
    const text = drillbook(['list']);
    expect(text.stdout).toMatch(/INC-003\s+.*critical\s+20m\s+5m/);
  });

  it('prints the plan of INC-003 as JSON with phases, budgets and masked secrets', () => {
    const r = drillbook(['plan', 'INC-003', '--json', '--env', 'production']);
    expect(r.status).toBe(0);
    const plan = JSON.parse(r.stdout) as {
      incident: { id: string; rtoMs: number };
      phases: { budgetMs: number; steps: unknown[] }[];
      environment: string;
    };
    expect(plan.incident.id).toBe('INC-003');
    expect(plan.environment).toBe('production');
    expect(plan.phases.length).toBeGreaterThan(2);
    expect(plan.phases.reduce((n, p) => n + p.budgetMs, 0)).toBeLessThanOrEqual(plan.incident.rtoMs);
  });

  it('refuses an unknown incident or environment with exit 2 and one line', () => {
    const a = drillbook(['plan', 'INC-999']);
    expect(a.status).toBe(2);
    expect(a.stderr.trim().split('\n')).toHaveLength(1);
    expect(a.stderr).toContain('unknown incident "INC-999"');
    const b = drillbook(['plan', 'INC-003', '--env', 'moon']);
    expect(b.status).toBe(2);
    expect(b.stderr).toContain('unknown environment "moon"');
  });

  it('treats an unknown flag as a usage error', () => {
    const r = drillbook(['list', '--bogus']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("unknown option '--bogus'");
  });
});
