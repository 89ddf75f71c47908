import { createHash } from 'node:crypto';

/**
 * A SHA-256 hex digest of a JSON value that does not depend on the order of
 * object keys, so equal content always hashes equal.
 */
export function computeStableHash(value: unknown): string {
  // A copy with sorted keys written by the native JSON.stringify costs half
  // of writing the text piece by piece in script: processing hashes every
  // entity several times, and this was its largest cost at 100,000 entities.
  // Digests are those of earlier versions except for objects with
  // integer-like keys such as '2' and '10', which JavaScript orders by
  // number and earlier versions sorted as text: an entity with such keys
  // is written once more after an upgrade.
  const text = JSON.stringify(withSortedKeys(value)) ?? 'null';
  return createHash('sha256').update(text).digest('hex');
}

function withSortedKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') {
    return value;
  }
  if (Array.isArray(value)) {
    return value.map(withSortedKeys);
  }
  const record = value as Record<string, unknown>;
  // Without a prototype, a '__proto__' key is kept as data rather than
  // setting the prototype, so it still counts in the hash.
  const sorted = Object.create(null) as Record<string, unknown>;
  for (const key of Object.keys(record).sort()) {
    sorted[key] = withSortedKeys(record[key]);
  }
  return sorted;
}
