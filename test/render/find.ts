/** The one element that matches, or a failure that says what was looked for (no `!` in tests). */
export function find<T>(items: readonly T[], match: (item: T) => boolean, what: string): T {
  const found = items.find(match);
  if (found === undefined) throw new Error(`not found: ${what}`);
  return found;
}
