import type { UrlReaderService } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';

/** The content and ETag of a URL that exists. */
export interface OptionalUrlContent {
  content: string;
  etag?: string;
}

/**
 * Reads a URL that may not exist: `undefined` when the reader reports it
 * missing; with `etag`, `'unchanged'` while the content keeps that ETag.
 * Any other failure is thrown.
 */
export async function readOptionalUrl(
  reader: UrlReaderService,
  url: string,
  etag?: string,
): Promise<OptionalUrlContent | 'unchanged' | undefined> {
  try {
    const response = await reader.readUrl(url, etag ? { etag } : undefined);
    const content = (await response.buffer()).toString('utf8');
    return { content, ...(response.etag ? { etag: response.etag } : {}) };
  } catch (error) {
    if (isError(error) && error.name === 'NotFoundError') {
      return undefined;
    }
    if (isError(error) && error.name === 'NotModifiedError') {
      return 'unchanged';
    }
    throw error;
  }
}
