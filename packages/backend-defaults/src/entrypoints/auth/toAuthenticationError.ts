import { AuthenticationError } from '@plinth/errors';
import type { InvalidTokenError } from './jws/InvalidTokenError';
import { tokenTypes } from './tokenTypes';

/**
 * Turns a failed token check into the `AuthenticationError` (401) that
 * reaches the caller, phrased as what they can do about it. The original
 * error stays attached as the cause, for logs.
 *
 * @param sharedKeys - whether `backend.auth.keys` are configured, which
 *   changes the advice for tokens signed with an unknown key.
 */
export function toAuthenticationError(
  error: InvalidTokenError,
  sharedKeys: boolean,
): AuthenticationError {
  return new AuthenticationError(describe(error, sharedKeys), error);
}

function describe(error: InvalidTokenError, sharedKeys: boolean): string {
  const resend = 'send the token exactly as it was issued';
  const keyAdvice = sharedKeys
    ? `check that its issuer signs with one of the secrets in 'backend.auth.keys'`
    : `no 'backend.auth.keys' are configured, so only tokens issued by this process verify; set 'backend.auth.keys' to the same secret on every replica and identity provider`;
  switch (error.reason) {
    case 'malformed':
      return `Malformed token: ${error.detail}; ${resend}.`;
    case 'bad-encoding':
      return `Malformed token: its ${error.detail} is not valid base64url; ${resend}.`;
    case 'invalid-claim':
      return `Malformed token: its claim '${error.detail}' is missing or has the wrong type; ask its issuer for a token with standard JWT claims.`;
    case 'alg-none':
      return `Unsigned token refused: its header has alg 'none'; send a signed token.`;
    case 'alg-mismatch':
      return `Token signed with an unknown key: it uses alg '${error.detail}', which none of this backend's keys use; ${keyAdvice}.`;
    case 'bad-signature':
      return `Token signed with an unknown key: its signature matches none of this backend's keys; ${keyAdvice}.`;
    case 'expired':
      return `Token expired at ${error.detail}; request a new token.`;
    case 'not-yet-valid':
      return `Token not valid before ${error.detail}; check that the clocks of its issuer and this server agree.`;
    case 'wrong-type':
      return `Token of type ${error.detail === undefined ? 'none' : `'${error.detail}'`} refused; send a user token ('${tokenTypes.user}'), a plugin token ('${tokenTypes.service}') or a static token from 'backend.auth.externalAccess'.`;
    case 'wrong-audience':
    case 'wrong-issuer':
      // The auth service checks audiences itself and issuers not at all;
      // the token check's own message is the best there is.
      return error.message;
  }
}
