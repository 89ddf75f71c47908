import type http from 'node:http';
import { UrlFetchError } from '../UrlFetchError';
import { UrlReadTooLargeError } from '../UrlReadTooLargeError';

/**
 * Reads a response body of at most `maxSize` bytes: refused up front when
 * `Content-Length` announces more, and cut off as soon as more arrives.
 *
 * @throws {@link UrlReadTooLargeError} over the limit;
 *   {@link UrlFetchError} when the connection breaks. When `signal` has
 *   aborted, the abort error is rethrown as it is.
 */
export async function readResponseBody(
  response: http.IncomingMessage,
  options: { safeUrl: string; maxSize: number; signal: AbortSignal },
): Promise<Buffer> {
  const { safeUrl, maxSize, signal } = options;
  const announced = Number(response.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxSize) {
    response.destroy();
    throw UrlReadTooLargeError.fromContentLength(safeUrl, announced, maxSize);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > maxSize) {
        response.destroy();
        throw UrlReadTooLargeError.fromStream(safeUrl, maxSize);
      }
      chunks.push(chunk);
    }
  } catch (error) {
    if (error instanceof UrlReadTooLargeError || signal.aborted) {
      throw error;
    }
    throw UrlFetchError.network(safeUrl, error);
  }
  return Buffer.concat(chunks);
}
