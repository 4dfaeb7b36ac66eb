/** The last `lines` non-empty lines of a step's output, for a glance at what it said. */
export function outputTail(output: string | undefined, lines: number): string {
  if (!output) return '';
  return output
    .split('\n')
    .filter((l) => l.trim() !== '')
    .slice(-lines)
    .join('\n');
}
