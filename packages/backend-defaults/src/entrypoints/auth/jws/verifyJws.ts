import type { JsonObject } from '@plinth/backend-plugin-api';
import { checkJwtClaims } from './checkJwtClaims';
import type { JwsKey } from './JwsKey';
import { parseJws } from './parseJws';
import { verifyJwsSignature } from './verifyJwsSignature';

/**
 * Options for {@link verifyJws}.
 */
export interface VerifyJwsOptions {
  /** Keys that may have signed the token; every one is tried. */
  keys: readonly JwsKey[];
  /**
   * The current time in seconds since the epoch, for tests.
   * @defaultValue `Date.now() / 1000`
   */
  now?: number;
  /**
   * Leeway for `exp`, `nbf` and `iat` against clock drift between hosts.
   * @defaultValue `0`
   */
  clockToleranceSeconds?: number;
  /** Required member of `aud`; not checked when absent. */
  audience?: string;
  /** Required `iss`; not checked when absent. */
  issuer?: string;
  /**
   * The accepted token types (`typ`), each with the longest lifetime,
   * `exp - iat` in seconds, that a token of that type may claim; neither is
   * checked when absent.
   */
  maxLifetimes?: Readonly<Record<string, number>>;
}

/**
 * A token whose signature and claims passed every check.
 */
export interface VerifiedJws {
  header: JsonObject;
  payload: JsonObject;
  /** When the token expires (`exp`). */
  expiresAt: Date;
}

/**
 * Verifies a JWS compact token strictly: well-formed base64url JSON parts,
 * a signed algorithm that one of `keys` uses, a matching signature, then
 * the claims, of which `iat` and `exp` are required. The signature is
 * checked before any claim, so a forged token learns nothing about what
 * else would be accepted.
 *
 * @example
 * ```ts
 * const { payload } = verifyJws(token, {
 *   keys: [{ alg: 'HS256', secret: createSecretKey(Buffer.from(secret)) }],
 *   audience: 'catalog',
 *   maxLifetimes: { 'vnd.plinth.service': 600 },
 * });
 * ```
 * @throws {@link InvalidTokenError} whose `reason` says which check failed.
 */
export function verifyJws(
  token: string,
  options: VerifyJwsOptions,
): VerifiedJws {
  const parsed = parseJws(token);
  verifyJwsSignature(parsed, options.keys);
  const exp = checkJwtClaims(parsed.header, parsed.payload, {
    now: options.now ?? Date.now() / 1000,
    clockToleranceSeconds: options.clockToleranceSeconds ?? 0,
    audience: options.audience,
    issuer: options.issuer,
    maxLifetimes: options.maxLifetimes,
  });
  return {
    header: parsed.header,
    payload: parsed.payload,
    expiresAt: new Date(exp * 1000),
  };
}
