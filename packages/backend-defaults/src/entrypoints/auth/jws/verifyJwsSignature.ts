import { createHmac, timingSafeEqual, verify } from 'node:crypto';
import type { JwsKey } from './JwsKey';
import { InvalidTokenError } from './InvalidTokenError';
import type { ParsedJws } from './parseJws';

/**
 * Checks a parsed token's signature against every key that uses its
 * algorithm (and its `kid`, when both name one), so rotated keys keep
 * verifying.
 *
 * @throws {@link InvalidTokenError} with reason `alg-mismatch` when no key
 *   uses the token's algorithm, `bad-signature` when none matches.
 */
export function verifyJwsSignature(
  parsed: ParsedJws,
  keys: readonly JwsKey[],
): JwsKey {
  const { alg, kid } = parsed.header;
  const sameAlg = keys.filter(key => key.alg === alg);
  if (sameAlg.length === 0) {
    const algs = [...new Set(keys.map(key => key.alg))];
    throw InvalidTokenError.algMismatch(alg, algs);
  }
  const candidates =
    typeof kid === 'string'
      ? sameAlg.filter(key => key.kid === undefined || key.kid === kid)
      : sameAlg;
  const match = candidates.find(key => matches(parsed, key));
  if (!match) {
    throw InvalidTokenError.badSignature();
  }
  return match;
}

function matches(parsed: ParsedJws, key: JwsKey): boolean {
  if (key.alg === 'HS256') {
    const expected = createHmac('sha256', key.secret)
      .update(parsed.signingInput)
      .digest();
    return (
      expected.length === parsed.signature.length &&
      timingSafeEqual(expected, parsed.signature)
    );
  }
  try {
    return verify(
      null,
      Buffer.from(parsed.signingInput),
      key.publicKey,
      parsed.signature,
    );
  } catch {
    // Node throws for signatures of the wrong length instead of answering false.
    return false;
  }
}
