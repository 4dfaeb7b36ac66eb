import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, ROOT } from '../helpers/cli.js';

/**
 * Hostile inputs to the loader, through the built CLI: each is refused with exit 2 and one located
 * line (plus validate's summary line), never a stack trace, a hang, an "internal error" or a silent
 * U+FFFD. Pipes and FIFOs use a short idle deadline so that the tests wait 0.5 s, not 5 s.
 */
const dir = mkdtempSync(join(tmpdir(), 'drillbook-hostile-'));
const HEAD = 'apiVersion: drillbook/v1\nmetadata: { name: x, title: X, version: "1", owner: Ops }\n';
const CAP = 2 * 1024 * 1024;

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

function validate(target: string, input?: string | Buffer, args: string[] = []) {
  const r = spawnSync(process.execPath, [BIN, 'validate', ...args, target], {
    cwd: ROOT,
    env: { ...process.env, DRILLBOOK_READ_IDLE_MS: '500', DRILLBOOK_CACHE: 'off' },
    input,
    stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, lines: r.stderr.trim().split('\n') };
}

/**
 * Checks what every refusal shares (exit 2, one problem line, the summary, no stack trace, no internal
 * error, no U+FFFD) and returns the problem's place and message for the test to compare.
 */
function refusal(r: ReturnType<typeof validate>, target: string): { at: string; message: string } {
  expect(r.stderr).not.toMatch(/internal error|^\s+at |Maximum call stack|\uFFFD/m);
  expect(r.lines[1]).toBe(`invalid ${target}: 1 problem`);
  expect(r.lines).toHaveLength(2);
  expect(r.status).toBe(2);
  const match = /^(\d+:\d+): (.*)$/.exec(r.lines[0]?.slice(target.length + 1) ?? '');
  return { at: match?.[1] ?? '', message: match?.[2] ?? r.stderr };
}

const matching = (message: string | RegExp): unknown =>
  typeof message === 'string' ? expect.stringContaining(message) : expect.stringMatching(message);

describe('the size cap holds for every kind of input', () => {
  it.each([
    ['/dev/zero (endless NUL bytes)', '/dev/zero'],
    ['/dev/urandom (endless bytes that are not UTF-8)', '/dev/urandom'],
  ])('%s is refused at the cap', (_name, device) => {
    expect(refusal(validate(device), device)).toEqual({
      at: '1:1',
      message: matching(`input is over ${CAP} bytes (reading stopped there), over the ${CAP}-byte limit`),
    });
  });

  it('a pipe on /dev/stdin over the cap is refused, and a valid runbook piped in is read', () => {
    const big = `${HEAD}# ${'x'.repeat(CAP)}\n`;
    expect(refusal(validate('/dev/stdin', big), '/dev/stdin')).toEqual({
      at: '1:1',
      message: matching(/over the 2097152-byte limit for a runbook/),
    });
    const ok = validate('/dev/stdin', readFileSync(join(ROOT, 'playbooks/thebot-dr.yaml')));
    expect(ok.stdout).toMatch(/^ok \/dev\/stdin: 6 incidents/);
    expect(ok.status).toBe(0);
  });

  it('a regular file over the cap is refused before it is read', () => {
    const path = file('big.yaml', `${HEAD}# ${'x'.repeat(CAP)}\n`);
    expect(refusal(validate(path), path)).toEqual({
      at: '1:1',
      message: matching(/^file is \d+ bytes, over the 2097152-byte limit/),
    });
  });

  it('a FIFO with no writer, and one whose writer goes quiet, end with a clear message instead of hanging', async () => {
    const noWriter = join(dir, 'no-writer.fifo');
    expect(spawnSync('mkfifo', [noWriter]).status).toBe(0);
    expect(refusal(validate(noWriter), noWriter)).toEqual({
      at: '1:1',
      message: matching(/nothing to read: no data arrived within 500 ms/),
    });

    const quiet = join(dir, 'quiet.fifo');
    expect(spawnSync('mkfifo', [quiet]).status).toBe(0);
    // A writer that sends half a runbook and keeps the pipe open.
    const writer = spawn('sh', ['-c', `exec 3>${quiet}; printf 'apiVersion: drillbook/v1\\n' >&3; sleep 30`], {
      stdio: 'ignore',
      detached: true,
    });
    try {
      const r = await new Promise<ReturnType<typeof validate>>((resolve) => {
        setTimeout(() => {
          resolve(validate(quiet));
        }, 200);
      });
      expect(refusal(r, quiet)).toEqual({
        at: '1:1',
        message: matching(/input stopped after 25 bytes and did not end within 500 ms/),
      });
    } finally {
      if (writer.pid !== undefined) process.kill(-writer.pid, 'SIGKILL');
    }
  });

  it.each([
    ['sends nothing', '', /nothing to read: no data arrived within 500 ms/],
    [
      'sends half a runbook',
      'apiVersion: drillbook/v1\n',
      /input stopped after 25 bytes and did not end within 500 ms/,
    ],
  ])('a standard input that stays open and %s ends with a clear message', async (_name, text, message) => {
    // Node gives its children a socket, not a pipe, as standard input: the other way /dev/stdin can hang.
    const child = spawn(process.execPath, [BIN, 'validate', '/dev/stdin'], {
      cwd: ROOT,
      env: { ...process.env, DRILLBOOK_READ_IDLE_MS: '500', DRILLBOOK_CACHE: 'off' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    if (text !== '') child.stdin.write(text);
    const status = await new Promise<number | null>((resolve) => {
      child.on('exit', resolve);
    });
    child.stdin.destroy();
    const r = { status, stdout: '', stderr, lines: stderr.trim().split('\n') };
    expect(refusal(r, '/dev/stdin')).toEqual({ at: '1:1', message: matching(message) });
  });

  it('a directory is refused with a message, not an error code', () => {
    expect(refusal(validate(dir), dir)).toEqual({ at: '1:1', message: matching(/is a directory, not a runbook file/) });
  });
});

describe('nesting depth is limited, with the place it goes too deep', () => {
  it.each([
    ['flow sequences [[[…', `${HEAD}x: ${'['.repeat(10_000)}${']'.repeat(10_000)}\n`, '3:68'],
    ['flow mappings {a: {a: …', `${HEAD}x: ${'{a: '.repeat(5000)}1${'}'.repeat(5000)}\n`, '3:260'],
    ['a compact sequence - - - …', `${HEAD}x:\n  ${'- '.repeat(100_000)}1\n`, '4:131'],
    ['flow inside a compact sequence', `${HEAD}x:\n  ${'- '.repeat(40)}${'['.repeat(40)}1${']'.repeat(40)}\n`, '4:107'],
    [
      'block mappings nested by indentation',
      `${HEAD}${Array.from({ length: 200 }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`,
      '67:65',
    ],
  ])('%s', (name, text, at) => {
    const path = file(`deep-${name.replace(/\W+/g, '-')}.yaml`, text);
    expect(refusal(validate(path), path)).toEqual({
      at,
      message: matching(/^nested more than 64 levels deep \(hint: a runbook needs about 10 levels/),
    });
  });
});

describe('a file of hundreds of thousands of tiny values is refused quickly with a located error', () => {
  it.each([
    ['a flow sequence of 600,000 zeros', `${HEAD}x: [${Array(600_000).fill('0').join(',')}]\n`, '3:499978'],
    ['a block sequence of 400,000 items', `${HEAD}x:\n${Array(400_000).fill('- 0').join('\n')}\n`, '124997:1'],
    [
      'a flow mapping of 150,000 keys',
      `${HEAD}x: {${Array.from({ length: 150_000 }, (_, i) => `k${i}: 0`).join(', ')}}\n`,
      '3:1388818',
    ],
  ])('%s', (name, text, at) => {
    const path = file(`tiny-${name.replace(/\W+/g, '-')}.yaml`, text);
    expect(text.length).toBeLessThan(CAP);
    expect(refusal(validate(path), path)).toEqual({ at, message: matching(/^more than 250000 values/) });
  });

  it('a mapping of 100,000 distinct keys (under the limit) is parsed, its duplicates found in linear time', () => {
    const keys = Array.from({ length: 100_000 }, (_, i) => `k${i}: 0`);
    const path = file('many-keys.yaml', `${HEAD}x: {${keys.join(', ')}, k5: 1}\n`);
    const r = validate(path);
    expect(r.lines[0]).toMatch(
      /^.*many-keys\.yaml:3:\d+: Map keys must be unique: this key appears twice in the same mapping/,
    );
    expect(r.status).toBe(2);
  });
});

describe('text that is not UTF-8, or holds a NUL, is refused at its place', () => {
  const latin1 = (s: string) => Buffer.from(s, 'latin1');
  it.each([
    [
      'a Latin-1 é in a title',
      Buffer.concat([Buffer.from(`${HEAD}title: caf`), latin1('\xe9'), Buffer.from('\n')]),
      '3:11',
      'byte 0xe9 is not valid UTF-8',
    ],
    [
      'an overlong encoding of "/"',
      Buffer.concat([Buffer.from(`${HEAD}a: ok ü\nb: x`), Buffer.from([0xc0, 0xaf]), Buffer.from('\n')]),
      '4:5',
      'byte 0xc0 is not valid UTF-8',
    ],
    [
      'an encoded surrogate',
      Buffer.concat([Buffer.from(`${HEAD}b: `), Buffer.from([0xed, 0xa0, 0x80])]),
      '3:4',
      'byte 0xed is not valid UTF-8',
    ],
    [
      'a sequence cut at the end of the file',
      Buffer.concat([Buffer.from(`${HEAD}b: 日本`), Buffer.from([0xe8, 0xaa])]),
      '3:6',
      'byte 0xe8 is not valid UTF-8',
    ],
    [
      'a raw NUL in a value',
      Buffer.from(`${HEAD}incidents:\n  - id: INC-001\n    title: "a\0b"\n`),
      '5:14',
      'a NUL byte (\\0) in the text',
    ],
  ])('%s', (name, bytes, at, message) => {
    const path = file(`enc-${name.replace(/\W+/g, '-')}.yaml`, bytes);
    expect(refusal(validate(path), path)).toEqual({ at, message: matching(message) });
  });

  it('a UTF-16 file gets both problems, each at its place, and no U+FFFD anywhere', () => {
    const path = file('utf16.yaml', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HEAD, 'utf16le')]));
    const r = validate(path, undefined, ['--json']);
    const [result] = JSON.parse(r.stdout) as { errors: { line: number; col: number; message: string }[] }[];
    expect(result?.errors.map((e) => `${e.line}:${e.col} ${e.message}`)).toEqual([
      '1:1 byte 0xff is not valid UTF-8',
      '1:4 a NUL byte (\\0) in the text',
    ]);
    expect(r.stdout).not.toContain('\uFFFD');
    expect(r.status).toBe(2);
  });
});
