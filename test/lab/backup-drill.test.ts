import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterEach, describe, expect, it } from 'vitest';
import { labLayout, labVariableOverrides } from '../../src/lab/layout.js';
import { LAB_BUCKET, LAB_SECRET_ENV, labS3 } from '../../src/lab/s3-client.js';
import { drillbook, drillbookAsync } from '../helpers/cli.js';
import { LAB_PORT_OFFSETS, labDir, labProcesses, listening } from '../helpers/lab.js';
import { journalEvents, reportOf } from '../helpers/runs.js';
import { requireService } from '../helpers/services.js';

/** This file's lab ports: 32032 … 32980 (the range given to the backup checks' tests). */
const BASE = 32000;

interface DrillResult {
  incident: string;
  runId: string;
  passed: boolean;
  detail: string;
}

type Event = Record<string, unknown> & { type: string; step?: string; result?: Record<string, unknown> };

function runDir(home: string): string {
  const runs = readdirSync(join(home, 'runs'));
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.length}`);
  return join(home, 'runs', runs[0] ?? '');
}

/** Where in the journal a step started and finished, and how it finished. */
function stepEvents(events: Event[], step: string) {
  const started = events.findIndex((e) => e.type === 'step-started' && e.step === step);
  const finishedAt = events.findIndex((e) => e.type === 'step-finished' && e.step === step);
  return { started, finishedAt, result: events[finishedAt]?.result };
}

let labToRemove: { lab: string; home: string } | undefined;
afterEach(() => {
  // A failed assertion must not leave a lab running on the shared machine.
  if (labToRemove) drillbook(['lab', 'down', '--dir', labToRemove.lab, '--base-port', String(BASE)]);
  labToRemove = undefined;
});

async function drill(incident: string): Promise<{ result: DrillResult; events: Event[]; home: string }> {
  await requireService('PostgreSQL (for the client tools)', 5432);
  const { lab, home } = labDir();
  labToRemove = { lab, home };
  const r = await drillbookAsync(['drill', incident, '--json', '--dir', lab, '--base-port', String(BASE)], {
    env: { DRILLBOOK_HOME: home },
  }).done;
  const [result] = JSON.parse(r.stdout) as DrillResult[];
  if (!result) throw new Error(`no drill result; stderr: ${r.stderr}`);
  if (!result.passed) throw new Error(`${incident} drill failed: ${result.detail}\n${r.stderr.slice(-4000)}`);
  expect(await listening(LAB_PORT_OFFSETS.map((o) => BASE + o))).toEqual([]);
  expect(labProcesses(lab, BASE)).toEqual([]);
  return { result, events: journalEvents(runDir(home)) as Event[], home };
}

describe('backups in the lab: metadata, retention and the sha256 check before a restore', () => {
  it('INC-005 drill: the downloaded backup is verified against its metadata before the restore runs', async () => {
    const { events } = await drill('INC-005');
    const verify = stepEvents(events, 'i5-verify-backup');
    const restore = stepEvents(events, 'i5-restore');
    expect(verify.result?.status).toBe('passed');
    expect(restore.result?.status).toBe('passed');
    expect(verify.finishedAt).toBeGreaterThan(stepEvents(events, 'i5-download-metadata').finishedAt);
    expect(verify.finishedAt).toBeLessThan(restore.started);
    const fields = verify.result?.fields as Record<string, unknown>;
    expect(fields).toMatchObject({ checksum: 'ok', verified: true });
    expect(fields.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fields.sha256).toBe(fields.expected_sha256);
    expect(fields.size).toBe(fields.expected_size);
    expect(String(verify.result?.output)).toMatch(/backup_recovery\.dump\.gz, .* old, .*, checksum ok/);
    // The S3 history the lab writes satisfies the retention the runbook asks of S3 (7 days, 4 weeks).
    expect(stepEvents(events, 'i5-backup-retention').result).toMatchObject({
      status: 'passed',
      fields: { daily: 7, weekly: 4 },
    });
  }, 240_000);

  it('INC-006 drill: the downloaded base backup is verified against its metadata before it is extracted', async () => {
    const { events } = await drill('INC-006');
    const verify = stepEvents(events, 'i6-verify-backup');
    expect(verify.result).toMatchObject({ status: 'passed', fields: { checksum: 'ok' } });
    expect(verify.finishedAt).toBeLessThan(stepEvents(events, 'i6-scratch-restore').started);
  }, 240_000);

  it('INC-002 drill: the local backup folder holds 7 daily, 4 weekly and 12 monthly backups', async () => {
    const { events } = await drill('INC-002');
    expect(stepEvents(events, 'i2-backup-retention').result).toMatchObject({
      status: 'passed',
      fields: { daily: 7, weekly: 4, monthly: 12, count: 23 },
    });
  }, 240_000);

  it('a tampered backup fails INC-005 at the verify step, and nothing is restored', async () => {
    await requireService('PostgreSQL (for the client tools)', 5432);
    const { lab, home } = labDir();
    labToRemove = { lab, home };
    const base = ['--dir', lab, '--base-port', String(BASE)];
    const up = await drillbookAsync(['lab', 'up', ...base], { env: { DRILLBOOK_HOME: home } }).done;
    if (up.status !== 0) throw new Error(`lab up failed: ${up.stderr}`);
    // One byte of the newest full backup flipped in the store: same size, its metadata unchanged.
    const layout = labLayout(lab, BASE);
    const client = labS3(layout.ports.s3);
    const listed = await client.send(new ListObjectsV2Command({ Bucket: LAB_BUCKET, Prefix: 'backups/full/' }));
    const newest = (listed.Contents ?? [])
      .filter((o) => o.Key?.endsWith('.dump.gz'))
      .sort((a, b) => (a.LastModified?.getTime() ?? 0) - (b.LastModified?.getTime() ?? 0))
      .pop()?.Key;
    if (!newest) throw new Error('no backup in the lab store');
    const object = await client.send(new GetObjectCommand({ Bucket: LAB_BUCKET, Key: newest }));
    const bytes = Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1] ?? 0) ^ 0xff;
    await client.send(new PutObjectCommand({ Bucket: LAB_BUCKET, Key: newest, Body: bytes }));
    client.destroy();
    expect(
      (await drillbookAsync(['lab', 'break', 'INC-005', ...base], { env: { DRILLBOOK_HOME: home } }).done).status,
    ).toBe(0);
    const vars = Object.entries(labVariableOverrides(layout)).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
    const run = await drillbookAsync(
      ['run', 'INC-005', '--env', 'lab', '--mode', 'auto', '--yes', '--renderer', 'plain', ...vars],
      { env: { DRILLBOOK_HOME: home, ...LAB_SECRET_ENV } },
    ).done;
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(
      /FAIL i5-verify-backup: .*backup_recovery\.dump\.gz: checksum mismatch: sha256 [0-9a-f]{64}, .*backup_recovery\.metadata records [0-9a-f]{64}/,
    );
    expect(run.stdout).toContain('Verdict: FAILED at step "i5-verify-backup"');
    const dir = runDir(home);
    const events = journalEvents(dir) as Event[];
    expect(stepEvents(events, 'i5-download-backup').result?.status).toBe('passed');
    expect(stepEvents(events, 'i5-verify-backup').result?.fields).toMatchObject({ checksum: 'mismatch' });
    // Nothing after the failed verification touched the standby database.
    const never = ['i5-gunzip', 'i5-create-database', 'i5-restore'];
    expect(Object.fromEntries(never.map((step) => [step, stepEvents(events, step).started]))).toEqual(
      Object.fromEntries(never.map((step) => [step, -1])),
    );
    expect(reportOf(dir).verdict.cause?.step).toBe('i5-verify-backup');
  }, 240_000);
});
