import { InputError } from '@plinth/errors';
import { readStringParam } from './readStringParam';

const digits = /^\d+$/;

/**
 * The bounds of an integer query parameter; `maxSource` names the config
 * key the maximum comes from, for the error message.
 *
 * @internal
 */
export interface IntegerParamBounds {
  min: number;
  max?: number;
  maxSource?: string;
}

/**
 * The value of a query parameter that must be a whole number in bounds.
 *
 * @throws InputError naming the parameter, the value and the bounds.
 * @internal
 */
export function readIntegerParam(
  query: Record<string, unknown>,
  name: string,
  bounds: IntegerParamBounds,
): number | undefined {
  const text = readStringParam(query, name);
  if (text === undefined) {
    return undefined;
  }
  const value = digits.test(text) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < bounds.min) {
    throw new InputError(
      `Invalid query parameter '${name}': expected an integer of at least ${bounds.min}, got '${text}'.`,
    );
  }
  if (bounds.max !== undefined && value > bounds.max) {
    const source = bounds.maxSource ? ` (set by '${bounds.maxSource}')` : '';
    throw new InputError(
      `Invalid query parameter '${name}': expected an integer of at most ${bounds.max}${source}, got '${text}'. Ask for fewer and follow the pages.`,
    );
  }
  return value;
}
