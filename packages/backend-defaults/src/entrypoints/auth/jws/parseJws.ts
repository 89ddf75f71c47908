import type { JsonObject } from '@plinth/backend-plugin-api';
import { decodeBase64Url } from './decodeBase64Url';
import { InvalidTokenError } from './InvalidTokenError';

/** A JWS compact token split into its decoded parts, not yet verified. */
export interface ParsedJws {
  header: JsonObject & { alg: string };
  payload: JsonObject;
  /** The bytes the signature covers: `header.payload` as sent. */
  signingInput: string;
  signature: Buffer;
}

/**
 * Far above any token this backend issues or accepts, and below Node's
 * default 16 KiB header limit; refusing early avoids parsing junk.
 */
const maxTokenLength = 16384;

/**
 * Splits and decodes a JWS compact token. Refuses unsecured tokens
 * (`alg: none`) and critical header extensions, which nothing here
 * understands.
 *
 * @throws {@link InvalidTokenError} with reason `malformed`,
 *   `bad-encoding` or `alg-none`.
 */
export function parseJws(token: string): ParsedJws {
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
  return {
    header: { ...header, alg },
    payload,
    signingInput: `${encodedHeader}.${encodedPayload}`,
    signature,
  };
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
