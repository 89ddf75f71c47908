/**
 * Replaces every occurrence of each secret in `text` with `***`. Longer
 * secrets go first, so a secret that contains another is hidden whole.
 * Every non-empty secret counts, however short: a mangled error message
 * is better than a leaked secret.
 */
export function redactSecrets(
  text: string,
  secrets: readonly string[],
): string {
  return [...secrets]
    .filter(secret => secret !== '')
    .sort((a, b) => b.length - a.length)
    .reduce((redacted, secret) => redacted.split(secret).join('***'), text);
}
