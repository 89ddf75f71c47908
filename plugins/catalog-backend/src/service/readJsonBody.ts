import { InputError } from '@plinth/errors';
import type { Request } from 'express';

/**
 * The request's JSON object body, which the core body parser has read,
 * with only the given keys.
 *
 * @throws InputError when the body is missing, is not a JSON object, or
 *   has another key.
 * @internal
 */
export function readJsonBody(
  req: Request,
  route: string,
  knownKeys: readonly string[],
): Record<string, unknown> {
  const body: unknown = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError(
      `Invalid request body for ${route}: expected a JSON object sent with Content-Type 'application/json', got ${describeBody(body)}.`,
    );
  }
  for (const key of Object.keys(body)) {
    if (!knownKeys.includes(key)) {
      throw new InputError(
        `Invalid request body for ${route}: unknown key '${key}'; the known ones are ${knownKeys
          .map(k => `'${k}'`)
          .join(', ')}.`,
      );
    }
  }
  return body as Record<string, unknown>;
}

function describeBody(body: unknown): string {
  if (body === undefined) {
    return 'no body';
  }
  return Array.isArray(body) ? 'an array' : describeInput(body);
}

/** Longer caller input is cut in messages, which only need to identify it. */
const shownInputLength = 100;

/**
 * A value the caller sent, as JSON for a message, cut to 100 characters:
 * the caller knows it already, and an echo as large as the request would
 * only grow responses and logs.
 *
 * @internal
 */
export function describeInput(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > shownInputLength
    ? `${text.slice(0, shownInputLength)}...`
    : text;
}
