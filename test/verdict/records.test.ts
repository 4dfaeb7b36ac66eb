import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordMetrics, parseRecordOptions } from '../../src/execute/records.js';
import { SecretMasker } from '../../src/execute/secrets.js';
import { Journal, readJournal } from '../../src/journal/journal.js';
import type { Prompter } from '../../src/interactive/prompter.js';
import { buildPlan } from '../../src/plan/build-plan.js';
import { resolveEnvironment } from '../../src/resolve/resolve-environment.js';
import { openRunbook } from '../../src/cli/open-runbook.js';
import { drillbook } from '../helpers/cli.js';
import { workspace } from '../helpers/runs.js';

const VERDICT = 'test/fixtures/run/verdict.yaml';

function run(ws: ReturnType<typeof workspace>, args: string[]) {
  return drillbook(
    ['run', 'INC-201', '-f', VERDICT, '--mode', 'auto', '--var', `dir=${ws.dir}`, '--renderer', 'plain', ...args],
    { env: { DRILLBOOK_HOME: ws.home, USER: 'tess-tester' } },
  );
}

describe('recorded metrics (record:), Tester and Reviewer', () => {
  it('auto mode: --record STEP.NAME=VALUE is journaled and shown in the reports and the test documentation table', () => {
    const ws = workspace();
    const r = run(ws, [
      '--record',
      'measure.failover-duration=42s',
      '--record',
      'measure.Data loss=none',
      '--reviewer',
      'Rita Reviewer',
    ]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    const home = { env: { DRILLBOOK_HOME: ws.home } };
    const report = JSON.parse(drillbook(['report', 'latest', '--format', 'json'], home).stdout) as {
      records: { step: string; name: string; value: string; by: string }[];
      documentation: { metrics: string[]; tester: string; reviewer: string };
    };
    expect(report.records.map(({ step, name, value, by }) => ({ step, name, value, by }))).toEqual([
      { step: 'measure', name: 'Failover duration', value: '42s', by: 'tess-tester' },
      { step: 'measure', name: 'Data loss', value: 'none', by: 'tess-tester' },
    ]);
    expect(report.documentation).toMatchObject({
      metrics: ['Failover duration: 42s', 'Data loss: none'],
      tester: 'tess-tester',
      reviewer: 'Rita Reviewer',
    });
    const md = drillbook(['report', 'latest'], home).stdout;
    expect(md).toContain(
      '| Date | Type | Start | End | Duration | RTO met | RPO met | Metrics | Issues | Remediation | Tester | Reviewer |',
    );
    expect(md).toMatch(
      /\| yes \| yes \| Failover duration: 42s; Data loss: none \| none \| none \| tess-tester \| Rita Reviewer \|\n/,
    );
    expect(md).toContain('| measure | Failover duration | 42s | tess-tester |');
    const html = drillbook(['report', 'latest', '--format', 'html'], home).stdout;
    expect(html).toContain('<h2 id="recorded-metrics">Recorded metrics</h2>');
    expect(drillbook(['report', 'latest', '--format', 'junit'], home).stdout).toContain(
      '<property name="record.measure.Failover duration" value="42s"/>',
    );
  });

  it('refuses a metric the step does not record, or a malformed --record, with exit 2 before anything runs', () => {
    const ws = workspace();
    const bad = run(ws, ['--record', 'measure.latency=3']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe(
      'drillbook: --record: step "measure" has no metric "latency"; it records: Failover duration, Data loss\n',
    );
    expect(run(ws, ['--record', 'nope']).stderr).toBe(
      'drillbook: --record expects STEP.NAME=VALUE, e.g. promote.failover-duration=42s, got "nope"\n',
    );
    expect(run(ws, ['--record', 'ghost.x=1']).stderr).toBe('drillbook: --record: INC-201 has no step "ghost"\n');
  });

  it('interactive mode asks for each metric of a step that ran and was not given; an empty answer records nothing', async () => {
    const { runbook, file, text } = openRunbook(VERDICT);
    const plan = buildPlan({
      runbook,
      file,
      text,
      incidentId: 'INC-201',
      environment: resolveEnvironment(runbook, undefined, {}),
    });
    const given = parseRecordOptions(['measure.data-loss=0s'], plan);
    const asked: string[] = [];
    const prompter: Prompter = {
      ask: (message) => {
        asked.push(message);
        return Promise.resolve(message.includes('Failover duration') ? ' 38s ' : '');
      },
      choose: () => Promise.reject(new Error('not asked')),
      yesNo: () => Promise.reject(new Error('not asked')),
      show: () => undefined,
      notice: () => undefined,
    };
    const dir = mkdtempSync(join(tmpdir(), 'drillbook-records-'));
    const journal = Journal.open(dir, new SecretMasker([]));
    await recordMetrics({ plan, journal, given, by: 'ivy', prompter, ran: (id) => id === 'measure' });
    journal.close();
    expect(asked).toEqual(['Record for measure: Failover duration (empty: not recorded)']);
    expect(
      readJournal(join(dir, 'journal.jsonl')).map((e) =>
        e.type === 'recorded' ? `${e.name}=${e.value} by ${e.by}` : e.type,
      ),
    ).toEqual(['Data loss=0s by ivy', 'Failover duration=38s by ivy']);
    expect(readFileSync(join(dir, 'journal.jsonl'), 'utf8')).not.toContain(' 38s ');
  });
});
