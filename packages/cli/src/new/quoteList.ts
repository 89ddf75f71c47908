/** `'a', 'b' and 'c'`: quotes each value and joins them as a sentence does. */
export function quoteList(values: readonly string[]): string {
  const quoted = values.map(value => `'${value}'`);
  return quoted.length <= 1
    ? quoted.join('')
    : `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}`;
}
