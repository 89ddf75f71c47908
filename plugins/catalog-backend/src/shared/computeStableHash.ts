import { createHash } from 'node:crypto';

/**
 * A SHA-256 hex digest of a JSON value that does not depend on the order of
 * object keys, so equal content always hashes equal.
 */
export function computeStableHash(value: unknown): string {
  const parts: string[] = [];
  write(parts, value);
  // One update of the joined text: many small updates cost far more.
  return createHash('sha256').update(parts.join('')).digest('hex');
}

function write(parts: string[], value: unknown): void {
  if (value === null || typeof value !== 'object') {
    // undefined, functions and symbols read as null, as JSON writes them in arrays.
    parts.push(JSON.stringify(value) ?? 'null');
    return;
  }
  if (Array.isArray(value)) {
    parts.push('[');
    for (let index = 0; index < value.length; index += 1) {
      if (index > 0) {
        parts.push(',');
      }
      write(parts, value[index]);
    }
    parts.push(']');
    return;
  }
  const record = value as Record<string, unknown>;
  parts.push('{');
  let first = true;
  for (const key of Object.keys(record).sort()) {
    if (record[key] === undefined) {
      continue;
    }
    parts.push(first ? JSON.stringify(key) : `,${JSON.stringify(key)}`, ':');
    first = false;
    write(parts, record[key]);
  }
  parts.push('}');
}
