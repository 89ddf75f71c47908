import { AuthenticationError } from '@plinth/errors';
import type { AuthRootContext } from './createAuthRootContext';
import type { InvalidTokenError } from './jws/InvalidTokenError';
import { tokenLifetimeSeconds, tokenTypes } from './tokenTypes';

/**
 * Turns a failed token check into the `AuthenticationError` (401) that
 * reaches the caller, phrased as what they can do about it. The original
 * error stays attached as the cause, for logs.
 *
 * @param context - whether `backend.auth.keys` are configured, which
 *   changes the advice for tokens signed with an unknown key, and the
 *   longest lifetime of a user token, which the advice for long-lived
 *   tokens names.
 */
export function toAuthenticationError(
  error: InvalidTokenError,
  context: Pick<AuthRootContext, 'keyring' | 'maxUserTokenLifetimeSeconds'>,
): AuthenticationError {
  return new AuthenticationError(describe(error, context), error);
}

function describe(
  error: InvalidTokenError,
  context: Pick<AuthRootContext, 'keyring' | 'maxUserTokenLifetimeSeconds'>,
): string {
  const resend = 'send the token exactly as it was issued';
  const keyAdvice = context.keyring.shared
    ? `check that its issuer signs with one of the secrets in 'backend.auth.keys'`
    : `no 'backend.auth.keys' are configured, so only tokens issued by this process verify; set 'backend.auth.keys' to the same secret on every replica and identity provider`;
  switch (error.reason) {
    case 'malformed':
      return `Malformed token: ${error.detail}; ${resend}.`;
    case 'bad-encoding':
      return `Malformed token: its ${error.detail} is not valid base64url; ${resend}.`;
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
    case 'lifetime-too-long':
      return describeLifetimeLimit(error.detail, context);
    case 'invalid-claim':
    case 'wrong-audience':
    case 'wrong-issuer':
      // The token check's own message names the claim and what it must be;
      // the auth service checks audiences itself and issuers not at all.
      return error.message;
  }
}

function describeLifetimeLimit(
  type: string | undefined,
  context: Pick<AuthRootContext, 'maxUserTokenLifetimeSeconds'>,
): string {
  const tooLong = 'Invalid token: it is valid for longer than the';
  switch (type) {
    case tokenTypes.service:
      return `${tooLong} ${describeSeconds(tokenLifetimeSeconds.service)} that plugin tokens may live; issue plugin tokens with auth.getPluginRequestToken().`;
    case tokenTypes.limitedUser:
      return `${tooLong} ${describeSeconds(tokenLifetimeSeconds.limitedUser)} that limited user tokens may live; issue them with auth.getLimitedUserToken().`;
    default:
      return `${tooLong} ${describeSeconds(context.maxUserTokenLifetimeSeconds)} that 'backend.auth.maxUserTokenLifetime' allows for user tokens; issue shorter-lived tokens.`;
  }
}

/** `86400` as `24 hours`, `5430` as `1 hour 30 minutes 30 seconds`. */
function describeSeconds(total: number): string {
  const parts: Array<[number, string]> = [
    [Math.floor(total / 3600), 'hour'],
    [Math.floor((total % 3600) / 60), 'minute'],
    [total % 60, 'second'],
  ];
  return parts
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}${amount === 1 ? '' : 's'}`)
    .join(' ');
}
