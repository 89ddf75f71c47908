/**
 * Quotes entity refs for a log line or message: the first `max` of them
 * sorted, then how many more there are, such as `'a', 'b' and 3 more`.
 */
export function quoteRefs(refs: Iterable<string>, max: number): string {
  const sorted = [...refs].sort();
  const shown = sorted
    .slice(0, max)
    .map(ref => `'${ref}'`)
    .join(', ');
  const more = sorted.length - max;
  return more > 0 ? `${shown} and ${more} more` : shown;
}
