import { InputError } from '@plinth/errors';
import type { LocationSpec } from '@plinth/plugin-catalog-node';
import { describeInput } from './readJsonBody';

const knownKeys = ['type', 'target', 'presence'];

/**
 * Checks a location given in a request body, `{ type, target, presence? }`.
 * `where` names it in messages, such as `the body of POST /locations`.
 *
 * @throws InputError naming the key, the value and the expected form.
 * @internal
 */
export function parseLocationInput(
  value: unknown,
  where: string,
): LocationSpec {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `Invalid location in ${where}: expected an object like { "type": "url", "target": "https://..." }, got ${describeInput(value)}.`,
    );
  }
  const location = value as Record<string, unknown>;
  for (const key of Object.keys(location)) {
    if (!knownKeys.includes(key)) {
      throw new InputError(
        `Invalid location in ${where}: unknown key '${key}'; the known ones are 'type', 'target' and 'presence'.`,
      );
    }
  }
  const { type, target, presence } = location;
  for (const [key, item] of Object.entries({ type, target })) {
    if (typeof item !== 'string' || item.trim() === '') {
      throw new InputError(
        `Invalid location in ${where}: '${key}' must be a non-empty string, got ${describeInput(item)}.`,
      );
    }
  }
  if (
    presence !== undefined &&
    presence !== 'optional' &&
    presence !== 'required'
  ) {
    throw new InputError(
      `Invalid location in ${where}: 'presence' must be 'optional' or 'required', got ${describeInput(presence)}.`,
    );
  }
  return {
    type: type as string,
    target: target as string,
    ...(presence !== undefined && { presence }),
  };
}
