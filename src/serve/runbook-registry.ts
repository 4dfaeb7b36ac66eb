import { createHash } from 'node:crypto';
import { resolve } from 'node:path';
import type { Pool } from 'pg';
import { formatDiagnostic } from '../model/diagnostic.js';
import type { Runbook } from '../model/runbook.js';
import { readSourceText } from '../load/load-source.js';
import { validateText } from '../validate/validate-runbook.js';
import { HttpError } from './context.js';

export interface RegisteredRunbook {
  name: string;
  path: string | null;
  sha256: string;
  registeredBy: string | null;
  registeredAt: string;
}

/**
 * Validates a runbook exactly as `drillbook validate` does and registers it under its metadata.name (a newer
 * text replaces an older one). An invalid one is refused with 422 and every located problem.
 */
export async function registerRunbook(
  pool: Pool,
  input: { path: string } | { name: string; text: string },
  by: string | null,
): Promise<RegisteredRunbook & { incidents: number }> {
  const { file, text, path } =
    'path' in input ? readPath(input.path) : { file: input.name, text: input.text, path: null };
  const runbook = validated(file, text);
  const sha256 = createHash('sha256').update(text).digest('hex');
  const r = await pool.query<{ registered_at: Date }>(
    `insert into service_runbooks (name, path, source, sha256, registered_by) values ($1, $2, $3, $4, $5)
     on conflict (name) do update set path = excluded.path, source = excluded.source, sha256 = excluded.sha256,
       registered_by = excluded.registered_by, registered_at = now()
     returning registered_at`,
    [runbook.metadata.name, path, text, sha256, by],
  );
  return {
    name: runbook.metadata.name,
    path,
    sha256,
    registeredBy: by,
    registeredAt: (r.rows[0]?.registered_at ?? new Date()).toISOString(),
    incidents: runbook.incidents.length,
  };
}

function readPath(path: string): { file: string; text: string; path: string } {
  const read = readSourceText(path);
  if (!read.ok) throw invalid(path, read.errors);
  return { file: path, text: read.text, path: resolve(path) };
}

/** The runbook a text holds, or 422 with the validator's located diagnostics. */
export function validated(file: string, text: string): Runbook {
  const result = validateText(file, text);
  if (!result.ok) throw invalid(file, result.errors);
  return result.runbook;
}

function invalid(file: string, errors: Parameters<typeof formatDiagnostic>[0][]): HttpError {
  return new HttpError(422, `invalid runbook ${file}: ${errors.length} problem${errors.length === 1 ? '' : 's'}`, {
    diagnostics: errors,
    lines: errors.map(formatDiagnostic),
  });
}

export async function listRunbooks(pool: Pool): Promise<(RegisteredRunbook & { source: string })[]> {
  const r = await pool.query<{
    name: string;
    path: string | null;
    sha256: string;
    source: string;
    registered_by: string | null;
    registered_at: Date;
  }>('select name, path, sha256, source, registered_by, registered_at from service_runbooks order by name');
  return r.rows.map((row) => ({
    name: row.name,
    path: row.path,
    sha256: row.sha256,
    source: row.source,
    registeredBy: row.registered_by,
    registeredAt: row.registered_at.toISOString(),
  }));
}

/** A registered runbook's text, as the worker writes it for the run. */
export async function runbookSource(pool: Pool, name: string): Promise<string | undefined> {
  const r = await pool.query<{ source: string }>('select source from service_runbooks where name = $1', [name]);
  return r.rows[0]?.source;
}
