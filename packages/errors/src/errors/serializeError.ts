import { isError } from './isError';

/**
 * The JSON form of an error, as the catalog stores it in `status.items` and
 * as HTTP error bodies carry it.
 *
 * @public
 */
export interface SerializedError {
  name: string;
  message: string;
  /** Only present when the caller asked for stacks. */
  stack?: string;
  /** A string code some errors carry, such as Node's `ENOENT`. */
  code?: string;
  cause?: SerializedError;
  [key: string]: unknown;
}

/**
 * Options for {@link serializeError}.
 *
 * @public
 */
export interface SerializeErrorOptions {
  /**
   * Whether to keep stack traces; off by default because stacks are for
   * developers and must not reach API clients in production.
   * @defaultValue `false`
   */
  includeStack?: boolean;
}

/**
 * Turns an error and its cause chain into plain JSON, keeping its `name`,
 * `message`, `code` and own enumerable fields that are JSON-safe.
 *
 * @example
 * ```ts
 * serializeError(new NotFoundError("No entity 'component:default/x'"));
 * // { name: 'NotFoundError', message: "No entity 'component:default/x'" }
 * ```
 * @public
 */
export function serializeError(
  error: unknown,
  options?: SerializeErrorOptions,
): SerializedError {
  return serializeOne(error, options?.includeStack ?? false, new Set());
}

function serializeOne(
  error: unknown,
  includeStack: boolean,
  seen: Set<unknown>,
): SerializedError {
  if (!isError(error)) {
    return { name: 'Error', message: String(error) };
  }
  seen.add(error);
  const serialized: SerializedError = {
    name: error.name,
    message: error.message,
  };
  for (const [key, value] of Object.entries(error)) {
    if (key !== 'cause' && key !== 'stack' && isJsonSafe(value)) {
      serialized[key] = value;
    }
  }
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    serialized.code = code;
  }
  if (includeStack && error.stack) {
    serialized.stack = error.stack;
  }
  const cause = (error as { cause?: unknown }).cause;
  if (cause !== undefined && !seen.has(cause)) {
    serialized.cause = serializeOne(cause, includeStack, seen);
  }
  return serialized;
}

function isJsonSafe(value: unknown): boolean {
  if (value === null) {
    return true;
  }
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return true;
    case 'object':
      try {
        JSON.stringify(value);
        return true;
      } catch {
        return false;
      }
    default:
      return false;
  }
}
