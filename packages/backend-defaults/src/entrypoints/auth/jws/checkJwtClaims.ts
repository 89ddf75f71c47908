import type { JsonObject } from '@plinth/backend-plugin-api';
import { InvalidTokenError } from './InvalidTokenError';

/** What {@link checkJwtClaims} expects of a token's claims. */
export interface JwtClaimExpectations {
  /** Seconds since the epoch. */
  now: number;
  /** Leeway for `exp`, `nbf` and `iat` against clock drift, in seconds. */
  clockToleranceSeconds: number;
  /** Required member of `aud`, when given. */
  audience?: string;
  /** Required `iss`, when given. */
  issuer?: string;
  /** Accepted token types, when given. */
  types?: readonly string[];
}

/**
 * Checks the registered claims of a verified token: `exp` is required and
 * in the future, `nbf` and `iat` are not in the future, and `aud`, `iss`
 * and the type match what the caller expects. The type is the payload's
 * `typ` claim, else the header's `typ`, because identity providers often
 * put a generic `JWT` in the header.
 *
 * @returns the expiry, in seconds since the epoch.
 * @throws {@link InvalidTokenError} with reason `invalid-claim`, `expired`,
 *   `not-yet-valid`, `wrong-audience`, `wrong-issuer` or `wrong-type`.
 */
export function checkJwtClaims(
  header: JsonObject,
  payload: JsonObject,
  expect: JwtClaimExpectations,
): number {
  const { now, clockToleranceSeconds: tolerance } = expect;
  const exp = readNumericDate(payload, 'exp');
  const nbf = readNumericDate(payload, 'nbf');
  const iat = readNumericDate(payload, 'iat');
  if (exp === undefined) {
    throw InvalidTokenError.invalidClaim('exp', 'a NumericDate (seconds)');
  }
  if (exp + tolerance <= now) {
    throw InvalidTokenError.expired(new Date(exp * 1000));
  }
  const validFrom = Math.max(nbf ?? -Infinity, iat ?? -Infinity);
  if (validFrom - tolerance > now) {
    throw InvalidTokenError.notYetValid(new Date(validFrom * 1000));
  }
  if (expect.types) {
    const typ = readOptionalString(payload, 'typ') ?? header.typ;
    if (typeof typ !== 'string' || !expect.types.includes(typ)) {
      throw InvalidTokenError.wrongType(
        typeof typ === 'string' ? typ : undefined,
        expect.types,
      );
    }
  }
  if (expect.audience !== undefined) {
    const audiences = readAudiences(payload);
    if (!audiences.includes(expect.audience)) {
      throw InvalidTokenError.wrongAudience(audiences, expect.audience);
    }
  }
  if (expect.issuer !== undefined) {
    const iss = readOptionalString(payload, 'iss');
    if (iss !== expect.issuer) {
      throw InvalidTokenError.wrongIssuer(iss, expect.issuer);
    }
  }
  return exp;
}

function readNumericDate(payload: JsonObject, claim: string) {
  const value = payload[claim];
  if (value === undefined) {
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw InvalidTokenError.invalidClaim(claim, 'a NumericDate (seconds)');
  }
  return value;
}

function readOptionalString(payload: JsonObject, claim: string) {
  const value = payload[claim];
  if (value !== undefined && typeof value !== 'string') {
    throw InvalidTokenError.invalidClaim(claim, 'a string');
  }
  return value;
}

function readAudiences(payload: JsonObject): string[] {
  const { aud } = payload;
  if (aud === undefined) {
    return [];
  }
  if (typeof aud === 'string') {
    return [aud];
  }
  if (Array.isArray(aud) && aud.every(a => typeof a === 'string')) {
    return aud;
  }
  throw InvalidTokenError.invalidClaim(
    'aud',
    'a string or an array of strings',
  );
}
