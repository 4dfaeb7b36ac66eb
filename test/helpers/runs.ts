import type { Report } from '../../src/report/build-report.js';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { drillbook, type CliResult } from './cli.js';

export const ENGINE = 'test/fixtures/run/engine.yaml';

export interface Workspace {
  dir: string;
  home: string;
}

/** A fresh directory for a test's files and its .drillbook home. */
export function workspace(): Workspace {
  const dir = mkdtempSync(join(tmpdir(), 'drillbook-test-'));
  return { dir, home: join(dir, 'home') };
}

/** `drillbook run INCIDENT -f FILE --var dir=… --renderer plain …extra` in the workspace's own home. */
export function runFile(
  ws: Workspace,
  file: string,
  incident: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): CliResult {
  return drillbook(['run', incident, '-f', file, '--var', `dir=${ws.dir}`, '--renderer', 'plain', ...extra], {
    env: { DRILLBOOK_HOME: ws.home, ...env },
  });
}

export function runFixture(
  ws: Workspace,
  incident: string,
  extra: string[] = [],
  env: NodeJS.ProcessEnv = {},
): CliResult {
  return runFile(ws, ENGINE, incident, extra, env);
}

export function onlyRunDir(ws: Workspace): string {
  const runs = readdirSync(join(ws.home, 'runs'));
  if (runs.length !== 1) throw new Error(`expected one run, found ${runs.length}`);
  return join(ws.home, 'runs', runs[0] ?? '');
}

export function journalEvents(runDir: string): Record<string, unknown>[] {
  return readFileSync(join(runDir, 'journal.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

export function reportOf(runDir: string): Report {
  return JSON.parse(readFileSync(join(runDir, 'report.json'), 'utf8')) as Report;
}

export function statusOf(report: Report, id: string): string | undefined {
  return report.steps.find((s) => s.id === id)?.status;
}
