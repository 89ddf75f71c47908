import { attackerToken } from '../hostileBackend';
import {
  now,
  signedToken,
  withToken,
  type HostileCase,
} from '../hostileRequests';

/** Forging tokens. */
export const tokenCases: HostileCase[] = [
  {
    name: 'sends an unsigned token',
    send: withToken(
      signedToken(
        { sub: 'user:default/admin', iat: now(), exp: now() + 60 },
        { alg: 'none', typ: 'vnd.backstage.user' },
      ),
    ),
    status: 401,
    message:
      "Unsigned token refused: its header has alg 'none'; send a signed token.",
  },
  {
    name: 'sends a token signed with another key',
    send: withToken(
      signedToken(
        { sub: 'user:default/admin', iat: now(), exp: now() + 60 },
        undefined,
        'another-key-of-at-least-32-characters!!',
      ),
    ),
    status: 401,
    message:
      "Token signed with an unknown key: its signature matches none of this backend's keys; check that its issuer signs with one of the secrets in 'backend.auth.keys'.",
  },
  {
    name: 'sends a user token that expires in 1e300',
    send: withToken(
      signedToken({ sub: 'user:default/admin', iat: now(), exp: 1e300 }),
    ),
    status: 401,
    message:
      "Invalid token: claim 'exp' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
  },
  {
    name: 'sends a user token without iat',
    send: withToken(
      signedToken({ sub: 'user:default/admin', exp: now() + 60 }),
    ),
    status: 401,
    message:
      "Invalid token: claim 'iat' must be a whole number of seconds since 1970; ask its issuer for a token with standard JWT claims.",
  },
  {
    name: 'sends a user token valid for a century',
    send: withToken(
      signedToken({
        sub: 'user:default/admin',
        iat: now(),
        exp: now() + 100 * 365 * 86400,
      }),
    ),
    status: 401,
    message:
      "Invalid token: it is valid for longer than the 24 hours that 'backend.auth.maxUserTokenLifetime' allows for user tokens; issue shorter-lived tokens.",
  },
  {
    name: 'sends a user token issued in the future',
    send: withToken(
      signedToken({
        sub: 'user:default/admin',
        iat: now() + 3600,
        exp: now() + 7200,
      }),
    ),
    status: 401,
    message: /^Token not valid before /,
  },
  {
    name: 'sends an expired user token',
    send: withToken(
      signedToken({
        sub: 'user:default/admin',
        iat: now() - 7200,
        exp: now() - 3600,
      }),
    ),
    status: 401,
    message: /^Token expired at /,
  },
  {
    name: 'sends a limited user token to a route that needs a full one',
    send: withToken(
      signedToken(
        { sub: 'user:default/admin', iat: now(), exp: now() + 60 },
        { alg: 'HS256', typ: 'vnd.backstage.limited-user' },
      ),
    ),
    status: 401,
    message:
      "Limited user token refused by plugin 'catalog': such tokens come from cookies and are only accepted on routes that allow cookie access; send the user's full token in the 'Authorization' header.",
  },
  {
    name: 'sends ten kilobytes as a token',
    send: withToken('x'.repeat(10_000)),
    status: 401,
    message:
      "Unknown static token: it matches no entry of 'backend.auth.externalAccess' and is not a signed token; check the token, or add it to 'backend.auth.externalAccess' with a subject.",
  },
  {
    name: 'uses its own token, which works',
    send: withToken(attackerToken),
    status: 200,
  },
];
