import {
  createSecretKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import type { JsonObject } from '@plinth/backend-plugin-api';
import { CompactSign, compactVerify, errors } from 'jose';
import { InvalidTokenError } from './InvalidTokenError';

/**
 * The `typ` of each kind of token the auth service issues or accepts.
 * User tokens keep Backstage's names so identity providers built for
 * Backstage can issue them.
 */
export const tokenTypes = {
  /** Plugin-to-plugin tokens, issued by `getPluginRequestToken`. */
  service: 'vnd.plinth.service',
  /** Full user tokens, issued by an identity provider sharing a key. */
  user: 'vnd.backstage.user',
  /** Short-lived user tokens for cookies, from `getLimitedUserToken`. */
  limitedUser: 'vnd.backstage.limited-user',
} as const;

/**
 * How long the tokens this backend issues live, in seconds; a token of
 * these types that claims to live longer is refused, whoever signed it.
 */
export const tokenLifetimeSeconds = {
  /**
   * Plugin-to-plugin tokens: ample for one call, which is what callers
   * request them for, and short enough that a leaked token is soon useless.
   */
  service: 10 * 60,
  /** Limited user tokens (cookies), at most. */
  limitedUser: 60 * 60,
} as const;

/**
 * Tolerated clock drift between the hosts that issue and verify tokens.
 */
export const clockToleranceSeconds = 30;

/** An Ed25519 key pair, named by `kid` in the tokens it signs. */
export interface Ed25519KeyPair {
  kid: string;
  publicKey: KeyObject;
  privateKey: KeyObject;
}

/**
 * A token whose signature and claims passed every check.
 */
export interface VerifiedToken {
  header: JsonObject;
  payload: JsonObject;
  /** When the token expires (`exp`). */
  expiresAt: Date;
}

/**
 * A shared secret for `HS256`, or one half of an Ed25519 key pair for
 * `EdDSA`. Secrets are imported as key objects once, not on every call,
 * as jose would for bytes.
 */
interface TokenKey {
  alg: 'HS256' | 'EdDSA';
  kid?: string;
  key: KeyObject;
}

/**
 * The keys of one backend: the one that signs new tokens and all that
 * verify. With shared secrets (`backend.auth.keys`) the first signs and
 * all verify, for rotation; otherwise a per-process Ed25519 key does both.
 * jose signs and checks signatures; the checks jose makes differently or
 * not at all (strict base64url, `iat` required, whole-second times, the
 * type and its longest lifetime) are made here, with messages that say
 * what to do.
 */
export class TokenKeyring {
  readonly #signingKey: TokenKey;
  readonly #verificationKeys: readonly TokenKey[];

  /** Whether the keys are shared secrets from config, not a process key. */
  readonly shared: boolean;

  /** HS256 with each secret's UTF-8 bytes as the key. */
  static fromSecrets(secrets: readonly [string, ...string[]]): TokenKeyring {
    const keys = secrets.map((secret): TokenKey => ({
      alg: 'HS256',
      key: createSecretKey(Buffer.from(secret, 'utf8')),
    }));
    return new TokenKeyring(keys[0], keys, true);
  }

  /** EdDSA with a key pair that only this process holds. */
  static fromKeyPair(pair: Ed25519KeyPair): TokenKeyring {
    const { kid, publicKey, privateKey } = pair;
    return new TokenKeyring(
      { alg: 'EdDSA', kid, key: privateKey },
      [{ alg: 'EdDSA', kid, key: publicKey }],
      false,
    );
  }

  private constructor(
    signingKey: TokenKey,
    verificationKeys: readonly TokenKey[],
    shared: boolean,
  ) {
    this.#signingKey = signingKey;
    this.#verificationKeys = verificationKeys;
    this.shared = shared;
  }

  /** Signs a payload, with its `typ` claim also set in the header. */
  async sign(payload: JsonObject & { typ: string }): Promise<string> {
    const { alg, kid, key } = this.#signingKey;
    return new CompactSign(Buffer.from(JSON.stringify(payload)))
      .setProtectedHeader({ alg, kid, typ: payload.typ })
      .sign(key);
  }

  /**
   * Verifies a token: its form, then its signature against every key that
   * uses its `alg` (and its `kid`, when both name one), so rotated keys
   * keep verifying, then its claims. The signature is checked before any
   * claim, so a forged token learns nothing about what else would be
   * accepted.
   *
   * @param maxLifetimes - the accepted token types (`typ`), each with the
   *   longest lifetime, `exp - iat` in seconds, that a token of that type
   *   may claim.
   * @throws {@link InvalidTokenError} whose `reason` says which check
   *   failed.
   */
  async verify(
    token: string,
    maxLifetimes: Readonly<Record<string, number>>,
  ): Promise<VerifiedToken> {
    const { header, payload } = parseToken(token);
    await this.#verifySignature(token, header);
    const exp = checkClaims(header, payload, maxLifetimes, Date.now() / 1000);
    return { header, payload, expiresAt: new Date(exp * 1000) };
  }

  /** The public keys as JWKs; none for shared secrets. */
  listPublicKeys(): JsonObject[] {
    return this.#verificationKeys.flatMap(({ alg, kid, key }) =>
      key.type === 'public'
        ? [
            {
              ...(key.export({ format: 'jwk' }) as JsonObject),
              kid,
              alg,
              use: 'sig',
            },
          ]
        : [],
    );
  }

  async #verifySignature(token: string, { alg, kid }: TokenHeader) {
    const sameAlg = this.#verificationKeys.filter(key => key.alg === alg);
    if (sameAlg.length === 0) {
      const algs = [...new Set(this.#verificationKeys.map(key => key.alg))];
      throw InvalidTokenError.algMismatch(alg, algs);
    }
    const candidates =
      typeof kid === 'string'
        ? sameAlg.filter(key => key.kid === undefined || key.kid === kid)
        : sameAlg;
    for (const { key } of candidates) {
      try {
        await compactVerify(token, key, { algorithms: [alg] });
        return;
      } catch (error) {
        // Another key may have signed it. jose's other errors (JWSInvalid,
        // JOSEAlgNotAllowed, JOSENotSupported) cannot happen for a token
        // that parseToken accepted, so they are bugs, not 401s.
        if (!(error instanceof errors.JWSSignatureVerificationFailed)) {
          throw error;
        }
      }
    }
    throw InvalidTokenError.badSignature();
  }
}

let processKeyPair: Ed25519KeyPair | undefined;

/**
 * The Ed25519 key pair that signs tokens when no `backend.auth.keys` are
 * configured, generated on first use and kept for the life of the process,
 * so every backend and plugin in the process verifies the others' tokens.
 */
export function getProcessSigningKey(): Ed25519KeyPair {
  if (!processKeyPair) {
    const { publicKey, privateKey } = generateKeyPairSync('ed25519');
    processKeyPair = { kid: randomUUID(), publicKey, privateKey };
  }
  return processKeyPair;
}

type TokenHeader = JsonObject & { alg: string };

/**
 * Far above any token this backend issues or accepts, and below Node's
 * default 16 KiB header limit; refusing early avoids parsing junk.
 */
const maxTokenLength = 16384;

/**
 * Splits and decodes a JWS compact token before jose sees it, strictly:
 * jose decodes base64url leniently and says only that a part is invalid,
 * where the caller should learn which part and why. Refuses unsecured
 * tokens (`alg: none`) and critical header extensions, which nothing here
 * understands.
 *
 * @throws {@link InvalidTokenError} with reason `malformed`,
 *   `bad-encoding` or `alg-none`.
 */
function parseToken(token: string): {
  header: TokenHeader;
  payload: JsonObject;
} {
  if (token.length > maxTokenLength) {
    throw InvalidTokenError.malformed(
      `it is ${token.length} characters long, more than the ${maxTokenLength} allowed`,
    );
  }
  const parts = token.split('.');
  if (parts.length !== 3) {
    throw InvalidTokenError.malformed(
      `it has ${parts.length} dot-separated ${parts.length === 1 ? 'part' : 'parts'}, not 3`,
    );
  }
  const [encodedHeader, encodedPayload, encodedSignature] = parts;
  const header = decodeJsonObject(encodedHeader, 'header');
  const payload = decodeJsonObject(encodedPayload, 'payload');
  const signature = decodeBase64Url(encodedSignature, 'signature');
  const { alg } = header;
  if (typeof alg !== 'string' || alg === '') {
    throw InvalidTokenError.malformed(`its header has no 'alg'`);
  }
  if (alg.toLowerCase() === 'none') {
    throw InvalidTokenError.algNone();
  }
  if (header.crit !== undefined) {
    throw InvalidTokenError.malformed(
      `its header lists critical extensions ('crit'), which are not supported`,
    );
  }
  if (signature.length === 0) {
    throw InvalidTokenError.malformed('its signature is empty');
  }
  return { header: { ...header, alg }, payload };
}

function decodeJsonObject(
  encoded: string,
  part: 'header' | 'payload',
): JsonObject {
  const text = decodeBase64Url(encoded, part).toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw InvalidTokenError.malformed(`its ${part} is not JSON`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw InvalidTokenError.malformed(`its ${part} is not a JSON object`);
  }
  return value;
}

const base64UrlPattern = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes one part strictly: the URL-safe alphabet only, no padding, and
 * only the canonical encoding, so a token has one spelling.
 */
function decodeBase64Url(
  value: string,
  part: 'header' | 'payload' | 'signature',
): Buffer {
  if (!base64UrlPattern.test(value) || value.length % 4 === 1) {
    throw InvalidTokenError.badEncoding(part);
  }
  const bytes = Buffer.from(value, 'base64url');
  // Node ignores stray trailing bits; re-encoding exposes them.
  if (bytes.toString('base64url') !== value) {
    throw InvalidTokenError.badEncoding(part);
  }
  return bytes;
}

/**
 * The last second a JavaScript `Date` can hold; a later time claim could
 * only be printed as an Invalid Date.
 */
const latestNumericDate = 8_640_000_000_000;

const numericDate = 'a whole number of seconds since 1970';

/**
 * Checks the registered claims of a token whose signature verified: `iat`
 * and `exp` are required whole seconds with `exp` after `iat`, `exp` is in
 * the future, `nbf` and `iat` are not, and the type is accepted with a
 * lifetime (`exp - iat`) within its maximum. The type is the payload's
 * `typ` claim, else the header's `typ`, because identity providers often
 * put a generic `JWT` in the header. Requiring `iat` is what makes the
 * lifetime checkable: without it a token could claim an `exp` a century
 * away. jose's JWT checks are not used: they accept fractions and a
 * missing `iat`, and report an expired token before one whose `exp` is
 * not after its `iat`.
 *
 * @returns the expiry, in seconds since the epoch.
 */
function checkClaims(
  header: TokenHeader,
  payload: JsonObject,
  maxLifetimes: Readonly<Record<string, number>>,
  now: number,
): number {
  const tolerance = clockToleranceSeconds;
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
  const typ = readOptionalString(payload, 'typ') ?? header.typ;
  if (typeof typ !== 'string' || !Object.hasOwn(maxLifetimes, typ)) {
    throw InvalidTokenError.wrongType(
      typeof typ === 'string' ? typ : undefined,
      Object.keys(maxLifetimes),
    );
  }
  if (exp - iat > maxLifetimes[typ]) {
    throw InvalidTokenError.lifetimeTooLong(typ, exp - iat, maxLifetimes[typ]);
  }
  return exp;
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
