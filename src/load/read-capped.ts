import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { Socket } from 'node:net';
import { codeOf } from '../model/error-message.js';

export type ReadResult = { ok: true; bytes: Buffer } | { ok: false; message: string; hint?: string };

/** How long a pipe or device may stay silent (no writer yet, or no new bytes) before reading gives up. */
export const READ_IDLE_MS = idleSetting(process.env.DRILLBOOK_READ_IDLE_MS);

/** A positive number of milliseconds, else 5 s: a mistyped setting must not turn the deadline off. */
function idleSetting(value: string | undefined): number {
  const ms = Number(value);
  return value !== undefined && Number.isFinite(ms) && ms > 0 ? ms : 5000;
}

const CHUNK = 64 * 1024;

/**
 * Reads at most `maxBytes` of a file, whatever it is. A regular file's size is checked before reading;
 * a pipe, FIFO or device (`/dev/stdin`, `/dev/zero`) has no size, so it is read in chunks and refused
 * as soon as it passes the cap. It is opened non-blocking: a FIFO with no writer neither blocks `open`
 * nor waits forever, and a writer that goes quiet for READ_IDLE_MS is refused with a clear message.
 * Synchronous on purpose: validation is synchronous, and this is the only waiting it does.
 */
export function readCapped(file: string, maxBytes: number, idleMs = READ_IDLE_MS): ReadResult {
  let fd: number;
  try {
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    const code = codeOf(error);
    const inherited = code === 'ENXIO' ? inheritedDescriptor(file) : undefined;
    if (inherited === undefined) return { ok: false, message: openMessage(code) };
    // A socket cannot be opened again by path (Node gives its children sockets, not pipes, as stdin): it is
    // read through the descriptor itself, switched to non-blocking so that the idle deadline holds for it too.
    nonBlocking(inherited);
    return readDescriptor(inherited, maxBytes, idleMs);
  }
  try {
    return readDescriptor(fd, maxBytes, idleMs);
  } finally {
    closeSync(fd);
  }
}

/**
 * Node has no fcntl; wrapping the descriptor in a net.Socket that neither reads nor writes makes libuv set
 * O_NONBLOCK on it, and leaves the descriptor open and unread.
 */
function nonBlocking(fd: number): void {
  try {
    new Socket({ fd, readable: false, writable: false });
  } catch {
    // Not a socket after all: reading stays blocking, still capped.
  }
}

/** The descriptor number behind /dev/stdin, /dev/fd/N or /proc/self/fd/N. */
function inheritedDescriptor(file: string): number | undefined {
  if (file === '/dev/stdin') return 0;
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(file);
  return match ? Number(match[1]) : undefined;
}

function readDescriptor(fd: number, maxBytes: number, idleMs: number): ReadResult {
  try {
    const stat = fstatSync(fd);
    if (stat.isDirectory()) return { ok: false, message: 'is a directory, not a runbook file' };
    if (stat.isFile() && stat.size > maxBytes) return tooLarge(`file is ${stat.size} bytes`, maxBytes);
    return readChunks(fd, maxBytes, stat.isFile() ? undefined : { idleMs, fifo: stat.isFIFO() });
  } catch (error) {
    const code = codeOf(error);
    return {
      ok: false,
      message:
        code === 'EISDIR' ? 'is a directory, not a runbook file' : `cannot read file (${code ?? 'unknown error'})`,
    };
  }
}

/** Reads until end of file; `wait` is set for pipes and devices, which may have no data yet. */
function readChunks(fd: number, maxBytes: number, wait: { idleMs: number; fifo: boolean } | undefined): ReadResult {
  const chunks: Buffer[] = [];
  let total = 0;
  let quietSince = Date.now();
  for (;;) {
    const chunk = Buffer.allocUnsafe(CHUNK);
    const n = readOrWait(fd, chunk);
    if (n > 0) {
      total += n;
      if (total > maxBytes) return tooLarge(`input is over ${maxBytes} bytes (reading stopped there)`, maxBytes);
      chunks.push(chunk.subarray(0, n));
      quietSince = Date.now();
      continue;
    }
    // 0 is end of file, except for a FIFO with no writer yet (Linux reports EOF then too): wait for one.
    const eof = n === 0 && (wait?.fifo !== true || total > 0);
    if (eof || wait === undefined) return { ok: true, bytes: Buffer.concat(chunks, total) };
    const { idleMs } = wait;
    if (Date.now() - quietSince > idleMs) {
      return total === 0
        ? {
            ok: false,
            message: `nothing to read: no data arrived within ${idleMs} ms`,
            hint: 'a pipe or FIFO needs a writer; pass a runbook file',
          }
        : {
            ok: false,
            message: `input stopped after ${total} bytes and did not end within ${idleMs} ms`,
            hint: 'close the pipe when the runbook is written',
          };
    }
    sleep(20);
  }
}

/** Bytes read, 0 at end of file, -1 when a non-blocking pipe or device has nothing yet. */
function readOrWait(fd: number, chunk: Buffer): number {
  try {
    return readSync(fd, chunk, 0, chunk.length, null);
  } catch (error) {
    if (codeOf(error) === 'EAGAIN') return -1;
    throw error;
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

function tooLarge(what: string, maxBytes: number): ReadResult {
  return {
    ok: false,
    message: `${what}, over the ${maxBytes}-byte limit for a runbook`,
    hint: 'split it or remove generated content',
  };
}

function openMessage(code: string | undefined): string {
  if (code === 'ENOENT') return 'file not found';
  if (code === 'ENXIO') return 'cannot read this file: it is a socket or a device with nothing behind it';
  return `cannot read file (${code ?? 'unknown error'})`;
}
