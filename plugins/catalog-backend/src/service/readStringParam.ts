import { InputError } from '@plinth/errors';

/**
 * The value of a query parameter that may appear at most once.
 *
 * @throws InputError when it appears more than once.
 * @internal
 */
export function readStringParam(
  query: Record<string, unknown>,
  name: string,
): string | undefined {
  const value = query[name];
  if (value === undefined || typeof value === 'string') {
    return value;
  }
  if (Array.isArray(value)) {
    throw new InputError(
      `Invalid query parameter '${name}': expected one value, got ${value.length} (${value
        .map(v => `'${String(v)}'`)
        .join(', ')}). Pass '${name}' once.`,
    );
  }
  throw new InputError(
    `Invalid query parameter '${name}': expected a string, got ${JSON.stringify(value)}.`,
  );
}
