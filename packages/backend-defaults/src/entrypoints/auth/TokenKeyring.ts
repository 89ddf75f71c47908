import { createSecretKey } from 'node:crypto';
import type { JsonObject } from '@plinth/backend-plugin-api';
import type { JwsKey, JwsSigningKey } from './jws/JwsKey';
import { signJws } from './jws/signJws';
import { verifyJws, type VerifiedJws } from './jws/verifyJws';

/**
 * Tolerated clock drift between the hosts that issue and verify tokens.
 */
export const clockToleranceSeconds = 30;

/**
 * The keys of one backend: the one that signs new tokens and all that
 * verify. With shared secrets (`backend.auth.keys`) the first signs and
 * all verify, for rotation; otherwise a per-process Ed25519 key does both.
 */
export class TokenKeyring {
  readonly #signingKey: JwsSigningKey;
  readonly #verificationKeys: JwsKey[];

  /** Whether the keys are shared secrets from config, not a process key. */
  readonly shared: boolean;

  /** HS256 with each secret's UTF-8 bytes as the key. */
  static fromSecrets(secrets: readonly [string, ...string[]]): TokenKeyring {
    const keys = secrets.map((secret): JwsSigningKey => ({
      alg: 'HS256',
      secret: createSecretKey(Buffer.from(secret, 'utf8')),
    }));
    return new TokenKeyring(keys[0], keys, true);
  }

  /** EdDSA with a key pair that only this process holds. */
  static fromKeyPair(
    key: Extract<JwsSigningKey, { alg: 'EdDSA' }>,
  ): TokenKeyring {
    const { alg, kid, publicKey } = key;
    return new TokenKeyring(key, [{ alg, kid, publicKey }], false);
  }

  private constructor(
    signingKey: JwsSigningKey,
    verificationKeys: JwsKey[],
    shared: boolean,
  ) {
    this.#signingKey = signingKey;
    this.#verificationKeys = verificationKeys;
    this.shared = shared;
  }

  /** Signs a payload, with its `typ` claim also set in the header. */
  sign(payload: JsonObject & { typ: string }): string {
    return signJws(payload, this.#signingKey, { typ: payload.typ });
  }

  /**
   * Verifies a token's signature and time claims, that its type is one of
   * those in `maxLifetimes`, and that it lives (`exp - iat`) no longer than
   * that type's maximum, in seconds.
   *
   * @throws `InvalidTokenError` when it fails any check.
   */
  verify(
    token: string,
    maxLifetimes: Readonly<Record<string, number>>,
  ): VerifiedJws {
    return verifyJws(token, {
      keys: this.#verificationKeys,
      maxLifetimes,
      clockToleranceSeconds,
    });
  }

  /** The public keys as JWKs; none for shared secrets. */
  listPublicKeys(): JsonObject[] {
    return this.#verificationKeys.flatMap(key =>
      key.alg === 'EdDSA'
        ? [
            {
              ...(key.publicKey.export({ format: 'jwk' }) as JsonObject),
              kid: key.kid,
              alg: key.alg,
              use: 'sig',
            },
          ]
        : [],
    );
  }
}
