import type { KeyObject } from 'node:crypto';

/**
 * A key that verifies JWS compact tokens: a shared HMAC secret (`HS256`),
 * or the public half of an Ed25519 key pair (`EdDSA`).
 */
export type JwsKey =
  | { alg: 'HS256'; kid?: string; secret: KeyObject }
  | { alg: 'EdDSA'; kid: string; publicKey: KeyObject };

/**
 * A key that signs tokens as well: an HMAC secret, or an Ed25519 key pair
 * with its private half.
 */
export type JwsSigningKey =
  | { alg: 'HS256'; kid?: string; secret: KeyObject }
  | {
      alg: 'EdDSA';
      kid: string;
      publicKey: KeyObject;
      privateKey: KeyObject;
    };
