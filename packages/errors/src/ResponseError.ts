import { CustomErrorBase } from './httpErrors';
import type { SerializedError } from './errorChain';
/**
 * The error body every Plinth backend (and Backstage) sends.
 *
 * @public
 */
export interface ErrorResponseBody {
  error: SerializedError;
  request?: { method: string; url: string };
  response: { statusCode: number };
}

/**
 * A request to another service failed with an error status; carries the
 * status and the remote error so callers can tell a 404 from a 500.
 *
 * @example
 * ```ts
 * const response = await fetch(url);
 * if (!response.ok) {
 *   throw await ResponseError.fromResponse(response);
 * }
 * ```
 * @public
 */
export class ResponseError extends CustomErrorBase {
  readonly name = 'ResponseError' as const;
  /** The HTTP status of the failed response. */
  readonly statusCode: number;
  /** The remote error, when the body had the standard error shape. */
  readonly remoteError?: SerializedError;

  private constructor(
    message: string,
    statusCode: number,
    remoteError?: SerializedError,
  ) {
    super(message);
    this.statusCode = statusCode;
    this.remoteError = remoteError;
  }

  /** Reads the response body and builds the error from it. */
  static async fromResponse(response: {
    status: number;
    statusText: string;
    url: string;
    text(): Promise<string>;
  }): Promise<ResponseError> {
    const text = await response.text().catch(() => '');
    const remote = parseErrorBody(text);
    const detail = remote
      ? `${remote.name}: ${remote.message}`
      : text.trim().slice(0, 200) || response.statusText;
    return new ResponseError(
      `Request to '${response.url}' failed with ${response.status}${detail ? `, ${detail}` : ''}`,
      response.status,
      remote,
    );
  }
}

function parseErrorBody(text: string): SerializedError | undefined {
  try {
    const body = JSON.parse(text) as Partial<ErrorResponseBody>;
    const error = body?.error;
    if (
      error &&
      typeof error.name === 'string' &&
      typeof error.message === 'string'
    ) {
      return error;
    }
  } catch {
    // Not JSON: the caller shows the raw text instead.
  }
  return undefined;
}
