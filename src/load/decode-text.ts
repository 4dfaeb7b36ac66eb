import { isUtf8 } from 'node:buffer';

export interface TextProblem {
  line: number;
  col: number;
  message: string;
  hint: string;
}

export type DecodeResult = { ok: true; text: string } | { ok: false; problems: TextProblem[] };

/**
 * A runbook's bytes as text. Bytes that are not UTF-8 would silently become U+FFFD, and a raw NUL is
 * never part of an honest runbook (it also cuts command arguments short), so both are refused at their
 * line and column. Columns count UTF-16 units, as the YAML parser's positions do.
 */
export function decodeRunbook(bytes: Buffer): DecodeResult {
  const problems: TextProblem[] = [];
  const nul = bytes.indexOf(0);
  if (nul !== -1)
    problems.push({
      ...positionOf(bytes, nul),
      message: 'a NUL byte (\\0) in the text',
      hint: 'a runbook is plain text; remove the NUL byte (is this a binary file, or UTF-16?)',
    });
  if (!isUtf8(bytes)) {
    const bad = firstInvalidUtf8(bytes);
    const byte = bytes[bad] ?? 0;
    problems.push({
      ...positionOf(bytes, bad),
      message: `byte 0x${byte.toString(16).padStart(2, '0')} is not valid UTF-8`,
      hint: 'a runbook is UTF-8 text; re-save it as UTF-8 (e.g. iconv -f latin1 -t utf-8)',
    });
  }
  if (problems.length > 0) return { ok: false, problems: problems.sort((a, b) => a.line - b.line || a.col - b.col) };
  return { ok: true, text: bytes.toString('utf8') };
}

/** Line and column of a byte offset (a newline byte is never part of a multi-byte sequence). */
function positionOf(bytes: Buffer, offset: number): { line: number; col: number } {
  const prefix = bytes.subarray(0, offset).toString('utf8');
  let line = 1;
  let lineStart = 0;
  for (let i = prefix.indexOf('\n'); i !== -1; i = prefix.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, col: prefix.length - lineStart + 1 };
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence (RFC 3629). */
export function firstInvalidUtf8(bytes: Buffer): number {
  let i = 0;
  while (i < bytes.length) {
    const length = sequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return bytes.length;
}

/** Length of the well-formed sequence at `i`, or 0. */
function sequenceLength(bytes: Buffer, i: number): number {
  const b = bytes[i] ?? 0;
  if (b < 0x80) return 1;
  const [length, low, high] =
    b >= 0xc2 && b <= 0xdf
      ? [2, 0x80, 0xbf]
      : b === 0xe0
        ? [3, 0xa0, 0xbf]
        : b === 0xed
          ? [3, 0x80, 0x9f]
          : b >= 0xe1 && b <= 0xef
            ? [3, 0x80, 0xbf]
            : b === 0xf0
              ? [4, 0x90, 0xbf]
              : b >= 0xf1 && b <= 0xf3
                ? [4, 0x80, 0xbf]
                : b === 0xf4
                  ? [4, 0x80, 0x8f]
                  : [0, 0, 0];
  if (length === 0) return 0;
  const second = bytes[i + 1];
  if (second === undefined || second < low || second > high) return 0;
  for (let k = 2; k < length; k++) {
    const next = bytes[i + k];
    if (next === undefined || next < 0x80 || next > 0xbf) return 0;
  }
  return length;
}
