/**
 * Splits a list into lists of at most `size` items, to keep each bulk
 * statement's payload and the locks it takes bounded.
 */
export function splitIntoChunks<T>(items: readonly T[], size: number): T[][] {
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) {
    chunks.push(items.slice(start, start + size));
  }
  return chunks;
}
