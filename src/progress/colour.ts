/** ANSI colours for words that carry meaning (FAIL, OVER, DESTRUCTIVE, ROLLED-BACK, the verdict); none off a terminal or with NO_COLOR. */
export interface Paint {
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  bold(text: string): string;
}

const plain: Paint = { red: (t) => t, green: (t) => t, yellow: (t) => t, bold: (t) => t };
const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const coloured: Paint = { red: ansi(31, 39), green: ansi(32, 39), yellow: ansi(33, 39), bold: ansi(1, 22) };

/** Colours for a stream: only a terminal gets them, and NO_COLOR (any value) turns them off (no-color.org). */
export function paintFor(stream: { isTTY?: boolean } = process.stdout, env: NodeJS.ProcessEnv = process.env): Paint {
  return stream.isTTY === true && env.NO_COLOR === undefined ? coloured : plain;
}

/** The words a run's lines use, coloured by what they mean. */
export function paintWords(text: string, paint: Paint): string {
  return text
    .replace(/\b(FAIL|FAILED|TIMEOUT|OVER BUDGET|OVER|ROLLED-BACK|INTERRUPTED|ABORTED|NOT-RECOVERED)\b/g, (w) =>
      paint.red(w),
    )
    .replace(/\bDESTRUCTIVE\b/g, (w) => paint.yellow(paint.bold(w)));
}

/** A run's final line in the colour of its exit code: 0 green, 3 (breached) yellow, anything else red. */
export function paintVerdict(line: string, exitCode: number, paint: Paint): string {
  return paint.bold(exitCode === 0 ? paint.green(line) : exitCode === 3 ? paint.yellow(line) : paint.red(line));
}
