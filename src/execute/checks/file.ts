import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { formatDuration, parseDuration } from '../../model/duration.js';
import type { FileProbe } from '../../model/runbook.js';
import {
  expectedSha256,
  expectedSize,
  isMetadataName,
  metadataCandidates,
  parseMetadata,
  takenAt,
  type BackupMetadata,
} from './backup-metadata.js';
import { ProbeError, withDeadline, type CheckKind, type ProbeContext, type Words } from './check-kind.js';
import { globFiles, globProblem, isGlob } from './glob.js';
import { describePolicy, retentionDetail, retentionFields, shortWindows } from './retention.js';

/**
 * `file`: backups on a file system. `newest` (the default) finds the newest match of a path or glob and
 * judges it against max_age, min_size and, with `checksum: metadata`, the sha256 and size its .metadata
 * records; `retention` counts the matches in daily, weekly and monthly windows against a policy.
 */
export const fileCheck: CheckKind<FileProbe> = {
  defaultExpect: undefined,
  describe(o, w) {
    if (o.probe === 'retention')
      return { what: `backup retention of ${files(o, w)}`, defaults: '', always: describePolicy(o.retention, w) };
    const what = isGlob(o.path) ? `newest file matching ${w.code(o.path)}` : `file ${w.code(o.path)}`;
    return { what, defaults: '', always: newestConditions(o, w) };
  },
  probe: (o, ctx) => withDeadline(measure(o, ctx), ctx.deadlineMs, `file ${o.path}`),
  judge: (o, fields) => (o.probe === 'retention' ? shortWindows(fields) : newestProblems(o, fields)),
  detail: (o, fields) => (o.probe === 'retention' ? retentionDetail(fields) : newestDetail(fields)),
  validate(o) {
    const problem = globProblem(o.path);
    return problem ? [{ key: 'path', message: `path is not a valid glob: ${problem}` }] : [];
  },
};

function files(o: FileProbe, w: Words): string {
  return isGlob(o.path) ? `files matching ${w.code(o.path)}` : `file ${w.code(o.path)}`;
}

function newestConditions(o: FileProbe, w: Words): string {
  return [
    'it exists',
    o.max_age ? `at most ${w.code(o.max_age)} old` : '',
    o.min_size !== undefined ? `at least ${w.code(String(o.min_size))}` : '',
    o.checksum === 'metadata' ? 'sha256 and size as its .metadata records' : '',
  ]
    .filter(Boolean)
    .join(', ');
}

async function measure(o: FileProbe, ctx: ProbeContext): Promise<Record<string, unknown>> {
  const found = await backups(o.path);
  if (o.probe === 'retention') {
    const times = await Promise.all(found.map(async (b) => (await metadataOf(b.path))?.takenAt ?? b.modified));
    return retentionFields(times, o.retention);
  }
  const newest = found.reduce<Found | undefined>(
    (best, f) => (!best || f.modified > best.modified ? f : best),
    undefined,
  );
  if (!newest) return { count: 0 };
  const fields: Record<string, unknown> = {
    count: found.length,
    path: newest.path,
    size: newest.size,
    modified: newest.modified.toISOString(),
    age_seconds: Math.max(0, (Date.now() - newest.modified.getTime()) / 1000),
  };
  if (o.checksum === 'metadata') Object.assign(fields, await verify(newest, ctx.signal));
  return fields;
}

interface Found {
  path: string;
  size: number;
  modified: Date;
}

/** The matching backups: files only, their .metadata side files left out (they describe backups). */
async function backups(pattern: string): Promise<Found[]> {
  let paths: string[];
  try {
    paths = await globFiles(pattern);
  } catch (error) {
    throw new ProbeError(`cannot read ${pattern}: ${(error as Error).message}`);
  }
  const found: Found[] = [];
  for (const path of paths.filter((p) => !isMetadataName(p))) {
    try {
      const s = await stat(path);
      if (s.isFile()) found.push({ path, size: s.size, modified: s.mtime });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new ProbeError(`cannot read ${path}: ${code(error)}`);
    }
  }
  return found;
}

/** The metadata beside a backup (backup_X.metadata, else NAME.metadata), or undefined when there is none. */
async function metadataOf(
  path: string,
): Promise<{ name: string; metadata: BackupMetadata; takenAt?: Date } | undefined> {
  for (const candidate of metadataCandidates(basename(path))) {
    const name = join(dirname(path), candidate);
    let text: string;
    try {
      text = await readFile(name, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw new ProbeError(`cannot read metadata ${name}: ${code(error)}`);
    }
    const metadata = parseMetadata(text, name);
    const at = takenAt(metadata);
    return { name, metadata, ...(at ? { takenAt: at } : {}) };
  }
  return undefined;
}

/** sha256 and size of the file against its metadata: the hash streams; nothing is held in memory. */
async function verify(file: Found, signal: AbortSignal): Promise<Record<string, unknown>> {
  const meta = await metadataOf(file.path);
  if (!meta)
    throw new ProbeError(
      `no metadata for ${file.path} (looked for ${metadataCandidates(basename(file.path)).join(', ')})`,
    );
  const hash = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file.path, { signal })) hash.update(chunk as Buffer);
  } catch (error) {
    throw new ProbeError(`cannot read ${file.path}: ${code(error)}`);
  }
  const sha256 = hash.digest('hex');
  const expected = expectedSha256(meta.metadata);
  const size = expectedSize(meta.metadata);
  const ok = expected !== '' && expected === sha256 && (size === undefined || size === file.size);
  return {
    metadata: meta.name,
    sha256,
    expected_sha256: expected,
    expected_size: size ?? null,
    checksum: ok ? 'ok' : 'mismatch',
    verified: meta.metadata.verified ?? null,
  };
}

function newestProblems(o: FileProbe, fields: Record<string, unknown>): string[] {
  if (fields.count === 0 || typeof fields.path !== 'string') return [`no file matches ${o.path}`];
  const path = fields.path;
  const problems: string[] = [];
  const age = Number(fields.age_seconds) * 1000;
  if (o.max_age !== undefined) {
    const max = parseDuration(o.max_age);
    if (max === undefined) problems.push(`max_age "${o.max_age}" is not a duration`);
    else if (age > max) problems.push(`${path} is ${formatDuration(age)} old, over max_age ${o.max_age}`);
  }
  if (o.min_size !== undefined) {
    const min = sizeBytes(o.min_size);
    if (min === undefined) problems.push(`min_size "${String(o.min_size)}" is not a size`);
    else if (Number(fields.size) < min)
      problems.push(`${path} is ${formatSize(Number(fields.size))}, under min_size ${String(o.min_size)}`);
  }
  if (o.checksum === 'metadata' && fields.checksum !== 'ok') problems.push(mismatch(path, fields));
  return problems;
}

function mismatch(path: string, fields: Record<string, unknown>): string {
  const expected = String(fields.expected_sha256);
  if (expected === '') return `${path}: checksum mismatch: ${String(fields.metadata)} records no sha256`;
  if (expected !== fields.sha256)
    return `${path}: checksum mismatch: sha256 ${String(fields.sha256)}, ${String(fields.metadata)} records ${expected}`;
  return `${path}: size mismatch: ${String(fields.size)} bytes, ${String(fields.metadata)} records ${String(fields.expected_size)}`;
}

function newestDetail(fields: Record<string, unknown>): string | undefined {
  if (typeof fields.path !== 'string') return 'no file matched';
  const parts = [
    fields.path,
    `${formatDuration(Number(fields.age_seconds) * 1000)} old`,
    formatSize(Number(fields.size)),
  ];
  if (typeof fields.checksum === 'string') parts.push(`checksum ${fields.checksum}`);
  const others = Number(fields.count) - 1;
  return `${parts.join(', ')}${others > 0 ? ` (newest of ${String(fields.count)} matches)` : ''}`;
}

const UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4 };

/** `10KB` -> 10240; a number is bytes. Undefined for what the schema let through unresolved. */
export function sizeBytes(size: number | string): number | undefined {
  if (typeof size === 'number') return size;
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB)$/.exec(size.trim());
  return m ? Math.round(Number(m[1]) * (UNITS[m[2] ?? 'B'] ?? 1)) : undefined;
}

export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const [unit, factor] = Object.entries(UNITS)
    .filter(([, f]) => f <= bytes)
    .pop() ?? ['B', 1];
  return `${(bytes / factor).toFixed(1).replace(/\.0$/, '')} ${unit}`;
}

function code(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ?? e.message;
}
