import type { JsonObject } from '@plinth/catalog-model';
import { isError } from '@plinth/errors';

/**
 * An error as JSON, the way Backstage's `serializeError` sends it to
 * clients: `name`, `message`, the error's own plain fields (such as the
 * `field` of an entity validation error) and the serialized `cause`.
 * Stacks stay on the server.
 *
 * @internal
 */
export function toSerializedError(error: unknown): JsonObject {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  const serialized: JsonObject = {};
  for (const [key, value] of Object.entries(error)) {
    if (
      key !== 'stack' &&
      (typeof value === 'string' ||
        typeof value === 'number' ||
        typeof value === 'boolean')
    ) {
      serialized[key] = value;
    }
  }
  serialized.name = error.name;
  serialized.message = error.message;
  if (error.cause !== undefined) {
    serialized.cause = toSerializedError(error.cause);
  }
  return serialized;
}
