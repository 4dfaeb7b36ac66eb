import { checkKind, type CheckSpec, type CommandProbe, type Expect, type Matcher, type Scalar } from '../model/runbook.js';
import { shellQuote } from '../model/shell-quote.js';
import { code, inline } from './markdown/text.js';

/**
 * Checks in words, for documents. Synchronous and import-free on purpose: the registry's describeCheck
 * loads the check's client module, and rendering must never load a database client.
 * The result is Markdown (values in code spans, so hosts and SQL read exactly as written).
 */
export function describeCheck(spec: CheckSpec): string {
  const { what, expect, defaults } = describeProbe(spec);
  const expectation = expect ? describeExpect(expect) : defaults;
  const name = spec.name ? `**${inline(spec.name)}**: ` : '';
  const deadline = spec.timeout ? ` (deadline ${spec.timeout})` : '';
  return `${name}${what}${expectation ? `; expect ${expectation}` : ''}${deadline}`;
}

interface Described { what: string; expect: Expect | undefined; defaults: string }

function describeProbe(spec: CheckSpec): Described {
  if (spec.command) {
    const o = spec.command;
    return { what: `run ${commandText(o.run)}${o.shell ? ' in a shell' : ''}`, expect: o.expect, defaults: 'exit code 0' };
  }
  if (spec.http) {
    const o = spec.http;
    return { what: `HTTP ${o.method ?? 'GET'} ${code(o.url)}`, expect: o.expect, defaults: 'a status below 400' };
  }
  if (spec.tcp) {
    const o = spec.tcp;
    return { what: `TCP connection to ${code(`${o.host}:${o.port}`)}`, expect: o.expect, defaults: 'the port open' };
  }
  if (spec.postgres) {
    const o = spec.postgres;
    const target = o.url ? 'the PostgreSQL URL' : `PostgreSQL ${code(`${o.host ?? 'localhost'}:${o.port ?? 5432}${o.database ? `/${o.database}` : ''}`)}${o.user ? ` as ${code(o.user)}` : ''}`;
    const probe = o.query ? `query ${code(o.query.replace(/\s+/g, ' ').trim())}` : (POSTGRES_PROBES[o.probe ?? 'reachable'] ?? '');
    return { what: `${target}: ${probe}`, expect: o.expect, defaults: o.probe === undefined && !o.query ? 'it accepts connections' : '' };
  }
  if (spec.redis) {
    const o = spec.redis;
    const target = o.url ? 'the Redis URL' : `Redis ${code(`${o.host ?? 'localhost'}:${o.port ?? 6379}`)}`;
    const probe = o.probe === 'key' ? `key ${code(o.key ?? '')}` : (REDIS_PROBES[o.probe ?? 'ping'] ?? '');
    return { what: `${target}: ${probe}`, expect: o.expect, defaults: o.probe === undefined ? 'PONG' : '' };
  }
  const o = spec.s3;
  if (!o) throw new Error(`check has no kind: ${checkKind(spec)}`);
  const where = code(`s3://${o.bucket}/${o.key ?? o.prefix ?? ''}`);
  const probes = { newest: `newest object under ${where}`, checksum: `sha256 of ${o.key ? where : `the newest object under ${where}`} against its .metadata`, exists: `object ${where} exists`, count: `objects under ${where}` };
  return { what: `S3 ${probes[o.probe ?? 'newest']}${o.endpoint ? ` at ${code(o.endpoint)}` : ''}`, expect: o.expect, defaults: '' };
}

const POSTGRES_PROBES: Record<string, string> = {
  reachable: 'connect',
  in_recovery: 'is it in recovery (`pg_is_in_recovery()`)',
  replication_lag: 'replication lag in seconds',
  wal_archiving: 'WAL archiver status (`pg_stat_archiver`)',
};

const REDIS_PROBES: Record<string, string> = {
  ping: '`PING`',
  role: 'replication role (`ROLE`)',
  replication: 'replication state (`INFO replication`)',
  dbsize: 'number of keys (`DBSIZE`)',
};

export function commandText(run: CommandProbe['run']): string {
  return code(typeof run === 'string' ? run : run.map((a) => quoteArg(String(a))).join(' '));
}

/** Shell quoting for documents: a whole `{{ template }}` argument stays readable as written. */
export function quoteArg(arg: string): string {
  return /^\{\{[^}]*\}\}$/.test(arg) ? arg : shellQuote(arg);
}

/** `status = 200, lag_seconds < 5` */
export function describeExpect(expect: Expect): string {
  return Object.entries(expect).map(([field, matcher]) => `${code(field)} ${describeMatcher(matcher)}`).join(', ');
}

function describeMatcher(m: Matcher): string {
  if (m === null || typeof m !== 'object') return `= ${value(m)}`;
  const parts: string[] = [];
  if (m.eq !== undefined) parts.push(`= ${value(m.eq)}`);
  if (m.ne !== undefined) parts.push(`≠ ${value(m.ne)}`);
  if (m.lt !== undefined) parts.push(`< ${value(m.lt)}`);
  if (m.le !== undefined) parts.push(`≤ ${value(m.le)}`);
  if (m.gt !== undefined) parts.push(`> ${value(m.gt)}`);
  if (m.ge !== undefined) parts.push(`≥ ${value(m.ge)}`);
  if (m.matches !== undefined) parts.push(`matches ${code(`/${m.matches}/`)}`);
  if (m.exists !== undefined) parts.push(m.exists ? 'present' : 'absent');
  return parts.join(' and ');
}

function value(v: Scalar | null): string {
  return typeof v === 'string' ? code(v) : String(v);
}
