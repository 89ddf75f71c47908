import { InputError } from '@plinth/errors';

/**
 * The values of a query parameter that may repeat, in order.
 *
 * @internal
 */
export function readStringListParam(
  query: Record<string, unknown>,
  name: string,
): string[] | undefined {
  const value = query[name];
  if (value === undefined) {
    return undefined;
  }
  const values: unknown[] = Array.isArray(value) ? value : [value];
  for (const item of values) {
    if (typeof item !== 'string') {
      throw new InputError(
        `Invalid query parameter '${name}': expected strings, got ${JSON.stringify(item)}.`,
      );
    }
  }
  return values as string[];
}
