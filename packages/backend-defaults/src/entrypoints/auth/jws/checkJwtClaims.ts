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
  /**
   * The accepted token types, each with the longest lifetime, `exp - iat`
   * in seconds, that a token of that type may claim; when given, a token of
   * another type is refused.
   */
  maxLifetimes?: Readonly<Record<string, number>>;
}

/**
 * The last second a JavaScript `Date` can hold; a later time claim could
 * only be printed as an Invalid Date.
 */
const latestNumericDate = 8_640_000_000_000;

const numericDate = 'a whole number of seconds since 1970';

/**
 * Checks the registered claims of a verified token: `iat` and `exp` are
 * required whole seconds with `exp` after `iat`, `exp` is in the future,
 * `nbf` and `iat` are not, the type is accepted and the lifetime
 * (`exp - iat`) is within its type's maximum, and `aud` and `iss` match
 * what the caller expects. The type is the payload's `typ` claim, else the
 * header's `typ`, because identity providers often put a generic `JWT` in
 * the header. Requiring `iat` is what makes the lifetime checkable: without
 * it a token could claim an `exp` a century away.
 *
 * @returns the expiry, in seconds since the epoch.
 * @throws {@link InvalidTokenError} with reason `invalid-claim`, `expired`,
 *   `not-yet-valid`, `wrong-type`, `lifetime-too-long`, `wrong-audience` or
 *   `wrong-issuer`.
 */
export function checkJwtClaims(
  header: JsonObject,
  payload: JsonObject,
  expect: JwtClaimExpectations,
): number {
  const { now, clockToleranceSeconds: tolerance } = expect;
  const iat = readNumericDate(payload, 'iat');
  const exp = readNumericDate(payload, 'exp');
  const nbf = readNumericDate(payload, 'nbf');
  if (iat === undefined) {
    throw InvalidTokenError.invalidClaim('iat', numericDate);
  }
  if (exp === undefined) {
    throw InvalidTokenError.invalidClaim('exp', numericDate);
  }
  if (exp <= iat) {
    throw InvalidTokenError.invalidClaim('exp', `later than its 'iat'`);
  }
  if (exp + tolerance <= now) {
    throw InvalidTokenError.expired(new Date(exp * 1000));
  }
  const validFrom = Math.max(nbf ?? iat, iat);
  if (validFrom - tolerance > now) {
    throw InvalidTokenError.notYetValid(new Date(validFrom * 1000));
  }
  if (expect.maxLifetimes) {
    checkTypeAndLifetime(header, payload, exp - iat, expect.maxLifetimes);
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

function checkTypeAndLifetime(
  header: JsonObject,
  payload: JsonObject,
  lifetimeSeconds: number,
  maxLifetimes: Readonly<Record<string, number>>,
) {
  const typ = readOptionalString(payload, 'typ') ?? header.typ;
  const types = Object.keys(maxLifetimes);
  if (typeof typ !== 'string' || !Object.hasOwn(maxLifetimes, typ)) {
    throw InvalidTokenError.wrongType(
      typeof typ === 'string' ? typ : undefined,
      types,
    );
  }
  if (lifetimeSeconds > maxLifetimes[typ]) {
    throw InvalidTokenError.lifetimeTooLong(
      typ,
      lifetimeSeconds,
      maxLifetimes[typ],
    );
  }
}

/**
 * Reads a time claim as whole, non-negative seconds: fractions and values
 * beyond what a `Date` holds (`1e300`) are refused rather than rounded, so
 * every later comparison and message works on an exact, printable time.
 */
function readNumericDate(payload: JsonObject, claim: string) {
  const value = payload[claim];
  if (value === undefined) {
    return undefined;
  }
  if (
    typeof value !== 'number' ||
    !Number.isSafeInteger(value) ||
    value < 0 ||
    value > latestNumericDate
  ) {
    throw InvalidTokenError.invalidClaim(claim, numericDate);
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
