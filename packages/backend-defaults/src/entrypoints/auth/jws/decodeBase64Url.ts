import { InvalidTokenError } from './InvalidTokenError';

const base64UrlPattern = /^[A-Za-z0-9_-]*$/;

/**
 * Decodes one part of a JWS strictly: the URL-safe alphabet only, no
 * padding, and only the canonical encoding, so a token has one spelling.
 *
 * @throws {@link InvalidTokenError} with reason `bad-encoding`.
 */
export function decodeBase64Url(
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
