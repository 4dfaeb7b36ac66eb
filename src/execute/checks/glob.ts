import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * A small glob, enough for backup paths: `*` and `?` within one path segment, `[abc]` / `[a-z]` /
 * `[!abc]`, `{a,b}` alternatives (not nested) and `**` as a whole segment for any depth. `\` escapes
 * the next character. Hidden entries match only a segment that starts with a dot. (Node 20 has no
 * fs.glob, and a dependency would be heavier than this.)
 */

const SPECIAL = /[*?[{\\]/;

export class GlobError extends Error {
  override name = 'GlobError';
}

export function isGlob(path: string): boolean {
  return SPECIAL.test(path);
}

/** The first syntax problem of a pattern, or undefined. `{{ templates }}` are not glob syntax. */
export function globProblem(pattern: string): string | undefined {
  try {
    for (const segment of withoutTemplates(pattern).split('/')) if (segment !== '**') segmentRegExp(segment);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}

function withoutTemplates(text: string): string {
  return text.replace(/\{\{[^}]*\}\}/g, 'x');
}

/** Every file (not folder) the pattern matches, sorted; at most `limit` folders are read. */
export async function globFiles(pattern: string, limit = 10_000): Promise<string[]> {
  const segments = pattern.split('/');
  const firstGlob = segments.findIndex((s) => SPECIAL.test(s));
  if (firstGlob === -1) return [pattern];
  const base = segments.slice(0, firstGlob).join('/') || (pattern.startsWith('/') ? '/' : '.');
  const rest = segments.slice(firstGlob).map((s) => (s === '**' ? GLOBSTAR : segmentRegExp(s)));
  const found: string[] = [];
  const budget = { folders: limit };
  await walk(base, rest, found, budget, firstGlob === 0 && !pattern.startsWith('/'));
  return [...new Set(found)].sort();
}

const GLOBSTAR = Symbol('**');
type Part = RegExp | typeof GLOBSTAR;

async function walk(
  dir: string,
  parts: Part[],
  found: string[],
  budget: { folders: number },
  relative: boolean,
): Promise<void> {
  const [part, ...rest] = parts;
  if (part === undefined) return;
  if (budget.folders-- <= 0) throw new GlobError(`more than the limit of folders to read under ${dir}`);
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return;
    throw error;
  }
  const path = (name: string) => (relative && dir === '.' ? name : join(dir, name));
  if (part === GLOBSTAR) {
    // ** matches no folder at all, or any folder (and, recursively, the folders below it).
    await walk(dir, rest, found, budget, relative);
    for (const e of entries)
      if (e.isDirectory() && !e.name.startsWith('.')) await walk(path(e.name), parts, found, budget, relative);
    return;
  }
  for (const e of entries) {
    if (!part.test(e.name)) continue;
    if (rest.length === 0) {
      if (e.isFile()) found.push(path(e.name));
    } else if (e.isDirectory()) await walk(path(e.name), rest, found, budget, relative);
  }
}

/** One path segment as an anchored regular expression; a GlobError names what is wrong. */
function segmentRegExp(segment: string): RegExp {
  if (segment.includes('**'))
    throw new GlobError(`"**" must be a whole path segment, as in backups/**/x (got "${segment}")`);
  let re = '';
  let inBraces = false;
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i] ?? '';
    if (c === '\\') {
      i += 1;
      if (i >= segment.length) throw new GlobError(`"${segment}" ends with a lone \\`);
      re += escape(segment[i] ?? '');
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) throw new GlobError(`unclosed [ in "${segment}"`);
      const body = segment.slice(i + 1, end);
      re += `[${/^[!^]/.test(body) ? `^${body.slice(1)}` : body.replace(/\\/g, '\\\\')}]`;
      i = end;
    } else if (c === '{') {
      if (inBraces) throw new GlobError(`nested { in "${segment}"`);
      inBraces = true;
      re += '(?:';
    } else if (c === '}' && inBraces) {
      inBraces = false;
      re += ')';
    } else if (c === ',' && inBraces) re += '|';
    else re += escape(c);
  }
  if (inBraces) throw new GlobError(`unclosed { in "${segment}"`);
  const hidden = segment.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${hidden}${re}$`);
}

function escape(c: string): string {
  return c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}
