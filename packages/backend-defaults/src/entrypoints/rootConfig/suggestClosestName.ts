/**
 * The known name closest to `name` by edit distance, ignoring case, when
 * it is close enough to be a likely typo: at most a third of its length.
 */
export function suggestClosestName(
  name: string,
  known: readonly string[],
): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const candidate of known) {
    const distance = measureEditDistance(
      name.toLowerCase(),
      candidate.toLowerCase(),
    );
    const limit = Math.max(
      1,
      Math.floor(Math.max(name.length, candidate.length) / 3),
    );
    if (distance <= limit && (!best || distance < best.distance)) {
      best = { name: candidate, distance };
    }
  }
  return best?.name;
}

/**
 * Edit distance counting insertions, deletions, substitutions and swaps of
 * neighbouring letters (optimal string alignment), the usual typos.
 */
function measureEditDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) =>
      i === 0 ? j : j === 0 ? i : 0,
    ),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(
        d[i - 1][j] + 1,
        d[i][j - 1] + 1,
        d[i - 1][j - 1] + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.length][b.length];
}
