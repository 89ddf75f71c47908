import { AuthenticationError } from '@plinth/errors';
import type { Request } from 'express';
import { userCookieName } from './userCookieName';

/**
 * The token a request carries: from `Authorization: Bearer <token>`, or,
 * when `allowCookie` is set and there is no such header, from the user
 * cookie. `undefined` when it carries neither.
 *
 * @throws `AuthenticationError` when the `Authorization` header is not a
 *   bearer token.
 */
export function readRequestToken(
  req: Request,
  allowCookie: boolean,
): string | undefined {
  const header = req.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(header);
    if (!match) {
      throw new AuthenticationError(
        `Malformed 'Authorization' header: expected 'Bearer <token>' with a token of non-space characters; other schemes, such as Basic, are not supported.`,
      );
    }
    return match[1];
  }
  return allowCookie
    ? readCookie(req.headers.cookie, userCookieName)
    : undefined;
}

function readCookie(header: string | undefined, name: string) {
  for (const pair of header?.split(';') ?? []) {
    const separator = pair.indexOf('=');
    if (separator > 0 && pair.slice(0, separator).trim() === name) {
      const value = pair.slice(separator + 1).trim();
      try {
        return decodeURIComponent(value) || undefined;
      } catch {
        // A cookie value that is not URI-encoded is sent as it is.
        return value || undefined;
      }
    }
  }
  return undefined;
}
