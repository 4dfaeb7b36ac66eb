import { beforeAll, describe, expect, it } from 'vitest';
import { drillbook } from '../helpers/cli.js';
import { onlyRunDir, reportOf, workspace } from '../helpers/runs.js';
import { requireService } from '../helpers/services.js';

beforeAll(async () => {
  await requireService('PostgreSQL', 5432);
  await requireService('Redis', 6379);
});

describe('checks inside an auto run', () => {
  it('captures a probe field (replication lag) as the measured RPO and a row count for a later step', () => {
    const ws = workspace();
    const r = drillbook(
      ['run', 'INC-201', '-f', 'test/fixtures/run/checks.yaml', '--mode', 'auto', '--renderer', 'plain'],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const report = reportOf(onlyRunDir(ws));
    expect(report.steps.map((s) => s.status)).toEqual(['passed', 'passed', 'passed', 'passed', 'passed']);
    expect(report.rpo.measuredMs).toBe(0);
    expect(report.rpo.met).toBe(true);
    expect(report.outcome).toBe('recovered');
  });

  it('a check against a dead port fails the run with host:port in the reason', () => {
    const ws = workspace();
    const r = drillbook(
      [
        'run',
        'INC-201',
        '-f',
        'test/fixtures/run/checks.yaml',
        '--mode',
        'auto',
        '--renderer',
        'plain',
        '--var',
        'redis.port=1',
      ],
      { env: { DRILLBOOK_HOME: ws.home } },
    );
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('127.0.0.1:1: cannot connect');
  });
});
