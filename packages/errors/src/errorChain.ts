/**
 * Tells whether a caught value has the shape of an error: a `name` and a
 * `message` string. Values thrown across realms or by other libraries are
 * not always `instanceof Error`, so the shape is what counts.
 *
 * @public
 */
export function isError(value: unknown): value is Error {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Partial<Error>).name === 'string' &&
    typeof (value as Partial<Error>).message === 'string'
  );
}

/**
 * Turns anything that was thrown into an `Error`, so callers can rely on
 * `name` and `message`; a thrown string or object becomes the message.
 *
 * @public
 */
export function toError(value: unknown): Error {
  if (isError(value)) {
    return value;
  }
  return new Error(`A non-error value was thrown: ${stringifyThrown(value)}`);
}

/**
 * Renders an error and its chain of causes as one readable line per error,
 * without stack traces, for messages shown to people.
 *
 * @example
 * ```ts
 * describeErrorChain(new ForwardedError('Could not start', new InputError('Bad id')));
 * // "InputError: Could not start\n  caused by InputError: Bad id"
 * ```
 *
 * @public
 */
export function describeErrorChain(error: unknown): string {
  const lines: string[] = [];
  const seen = new Set<unknown>();
  let current: unknown = error;
  while (current !== undefined && !seen.has(current)) {
    seen.add(current);
    const prefix = lines.length === 0 ? '' : '  caused by ';
    if (isError(current)) {
      lines.push(`${prefix}${current.name}: ${current.message}`);
      current = (current as { cause?: unknown }).cause;
    } else {
      lines.push(`${prefix}${stringifyThrown(current)}`);
      current = undefined;
    }
  }
  return lines.join('\n');
}

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

/**
 * Renders a thrown value that is not an error: strings as they are, other
 * values as JSON where possible.
 */
function stringifyThrown(value: unknown): string {
  if (typeof value === 'string') {
    return value;
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
