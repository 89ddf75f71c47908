import { NotAllowedError, redactUrl } from '@plinth/errors';

/**
 * The error for a URL, or one it redirects to, that the reading rules
 * refuse. `reason` is a clause and `fix` a sentence.
 */
export function toReadRefusal(
  original: URL,
  current: URL,
  reason: string,
  fix: string,
): NotAllowedError {
  const from = redactUrl(original);
  const to = redactUrl(current);
  const via = from === to ? '' : `it redirects to '${to}', and `;
  return new NotAllowedError(
    `Reading '${from}' is not allowed: ${via}${reason}. ${fix}`,
  );
}
