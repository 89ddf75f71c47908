import { hash } from 'node:crypto';

/** The tag of an empty body: its SHA-1, as for any other body. */
const emptyETag = 'W/"0-2jmj7l5rSw0yVb/vlWAYkK/YBwk"';

/**
 * The weak ETag express sends by default, such as
 * `W/"1c-XW5kq3c0b4YHmyTwIZWNJyr0ZlE"`: the body's length in hexadecimal
 * and the first 27 characters of its base64 SHA-1. Express computes it
 * with a new hash object per response; the one-shot `crypto.hash` gives
 * the same tag for less, which counts on every response.
 */
export function computeWeakETag(
  body: string | Buffer,
  encoding?: BufferEncoding,
): string {
  const bytes = typeof body === 'string' ? Buffer.from(body, encoding) : body;
  if (bytes.length === 0) {
    return emptyETag;
  }
  const digest = hash('sha1', bytes, 'base64').substring(0, 27);
  return `W/"${bytes.length.toString(16)}-${digest}"`;
}
