import { CustomErrorBase, quoteList } from '@plinth/errors';

/**
 * Why a token failed verification, so callers can phrase their own message.
 *
 * @public
 */
export type InvalidTokenReason =
  | 'malformed'
  | 'bad-encoding'
  | 'alg-none'
  | 'alg-mismatch'
  | 'bad-signature'
  | 'invalid-claim'
  | 'expired'
  | 'not-yet-valid'
  | 'wrong-type'
  | 'lifetime-too-long';

/**
 * A JWS compact token failed verification. The auth service turns it into
 * an `AuthenticationError` for the caller; `reason` and `detail` carry the
 * facts, such as the expiry time or the type of the token.
 *
 * @public
 */
export class InvalidTokenError extends CustomErrorBase {
  readonly name = 'InvalidTokenError' as const;

  private constructor(
    readonly reason: InvalidTokenReason,
    message: string,
    /** The offending value: a time, a type, an algorithm or a claim name. */
    readonly detail?: string,
  ) {
    super(message);
  }

  /** The token is not three dot-separated parts of JSON. */
  static malformed(problem: string): InvalidTokenError {
    return new InvalidTokenError(
      'malformed',
      `Invalid token: ${problem}; a token is three base64url parts separated by dots.`,
      problem,
    );
  }

  /** A part is not strict, unpadded base64url. */
  static badEncoding(part: 'header' | 'payload' | 'signature') {
    return new InvalidTokenError(
      'bad-encoding',
      `Invalid token: its ${part} is not valid base64url; use the URL-safe alphabet without padding (RFC 4648 section 5).`,
      part,
    );
  }

  /** The header declares an unsecured token. */
  static algNone(): InvalidTokenError {
    return new InvalidTokenError(
      'alg-none',
      `Invalid token: its header has alg 'none', so it is not signed; only signed tokens are accepted.`,
      'none',
    );
  }

  /** The header names an algorithm no available key uses. */
  static algMismatch(alg: string, expected: readonly string[]) {
    return new InvalidTokenError(
      'alg-mismatch',
      `Invalid token: it is signed with alg '${alg}', but the available keys use ${quoteList(expected)}; sign it with one of those.`,
      alg,
    );
  }

  /** No available key produces the token's signature. */
  static badSignature(): InvalidTokenError {
    return new InvalidTokenError(
      'bad-signature',
      'Invalid token: its signature matches none of the available keys; it was signed with another key or altered.',
    );
  }

  /** A registered claim is missing, has the wrong type or is out of range. */
  static invalidClaim(claim: string, expected: string): InvalidTokenError {
    return new InvalidTokenError(
      'invalid-claim',
      `Invalid token: claim '${claim}' must be ${expected}; ask its issuer for a token with standard JWT claims.`,
      claim,
    );
  }

  /** `exp` has passed. */
  static expired(at: Date): InvalidTokenError {
    return new InvalidTokenError(
      'expired',
      `Invalid token: it expired at ${at.toISOString()}; request a new one.`,
      at.toISOString(),
    );
  }

  /** `nbf`, or `iat`, lies in the future. */
  static notYetValid(from: Date): InvalidTokenError {
    return new InvalidTokenError(
      'not-yet-valid',
      `Invalid token: it is not valid before ${from.toISOString()}; check that the issuer's clock is in sync.`,
      from.toISOString(),
    );
  }

  /** The token type (`typ`) is not one of the accepted ones. */
  static wrongType(actual: string | undefined, expected: readonly string[]) {
    return new InvalidTokenError(
      'wrong-type',
      `Invalid token: it has type ${actual === undefined ? 'none' : `'${actual}'`}, but only ${quoteList(expected)} are accepted here.`,
      actual,
    );
  }

  /**
   * The token claims to be valid (`exp - iat`) for longer than its type
   * allows; `detail` is the type.
   */
  static lifetimeTooLong(
    type: string,
    lifetimeSeconds: number,
    maxSeconds: number,
  ): InvalidTokenError {
    return new InvalidTokenError(
      'lifetime-too-long',
      `Invalid token: it is valid for ${lifetimeSeconds} seconds, longer than the ${maxSeconds} that type '${type}' allows; issue shorter-lived tokens.`,
      type,
    );
  }
}
