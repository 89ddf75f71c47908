import type { JsonValue } from '@plinth/backend-plugin-api';
import type { ConfigPath } from './formatConfigPath';

/**
 * Turns a JSON Pointer such as ajv's `instancePath` (`/backend/keys/0`)
 * into a config path, with numbers for the segments that index arrays in
 * `data`.
 */
export function parseInstancePath(
  pointer: string,
  data: JsonValue | undefined,
): ConfigPath {
  if (pointer === '') {
    return [];
  }
  const path: Array<string | number> = [];
  let current = data;
  for (const raw of pointer.slice(1).split('/')) {
    const segment = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current)) {
      path.push(Number(segment));
      current = current[Number(segment)];
    } else {
      path.push(segment);
      current =
        current !== null && typeof current === 'object'
          ? current[segment]
          : undefined;
    }
  }
  return path;
}
