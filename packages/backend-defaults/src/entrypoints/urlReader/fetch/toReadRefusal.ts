import { NotAllowedError } from '@plinth/errors';
import { stripUrlCredentials } from '../stripUrlCredentials';

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
  const from = stripUrlCredentials(original);
  const to = stripUrlCredentials(current);
  const via = from === to ? '' : `it redirects to '${to}', and `;
  return new NotAllowedError(
    `Reading '${from}' is not allowed: ${via}${reason}. ${fix}`,
  );
}
