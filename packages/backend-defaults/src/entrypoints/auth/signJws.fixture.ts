import { createHmac, type KeyObject, sign } from 'node:crypto';
import type { JsonObject } from '@plinth/backend-plugin-api';

/**
 * Signs a JSON payload as a JWS compact token (`header.payload.signature`)
 * with `HS256` or `EdDSA`, as an identity provider or a forger would: the
 * header gets `alg`, the key's `kid`, and `typ` when given. Tests use it
 * for tokens that `TokenKeyring.sign` does not make; it signs with
 * `node:crypto` rather than jose, so the tests do not check jose against
 * itself, and synchronously.
 */
export function signJws(
  payload: JsonObject,
  key:
    | { alg: 'HS256'; kid?: string; secret: KeyObject }
    | { alg: 'EdDSA'; kid: string; privateKey: KeyObject },
  options?: { typ?: string },
): string {
  const header: JsonObject = { alg: key.alg };
  if (key.kid !== undefined) {
    header.kid = key.kid;
  }
  if (options?.typ !== undefined) {
    header.typ = options.typ;
  }
  const signingInput = `${encodeJson(header)}.${encodeJson(payload)}`;
  const signature =
    key.alg === 'HS256'
      ? createHmac('sha256', key.secret).update(signingInput).digest()
      : sign(null, Buffer.from(signingInput), key.privateKey);
  return `${signingInput}.${signature.toString('base64url')}`;
}

function encodeJson(value: JsonObject): string {
  return Buffer.from(JSON.stringify(value), 'utf8').toString('base64url');
}
