import { CustomErrorBase } from '@plinth/errors';

// The errors of the JSON body parser that map to an HTTP status the typed
// errors of `@plinth/errors` do not have. Each carries `status` and
// `statusCode` with `expose`, as http-errors sets them, so the error
// handler of any runtime (Plinth's, Backstage's, a bare express app's)
// answers with that status and shows the message.

/**
 * A request body is larger than `backend.http.jsonBodyLimit` (counted after
 * any content encoding is undone); HTTP 413.
 *
 * @public
 */
export class RequestBodyTooLargeError extends CustomErrorBase {
  readonly name = 'RequestBodyTooLargeError' as const;
  readonly status = 413;
  readonly statusCode = 413;
  readonly expose = true;

  /**
   * @param limit - the limit in bytes.
   */
  constructor(
    readonly limit: number,
    cause?: unknown,
  ) {
    super(
      `Request body rejected: it is larger than the limit of ${limit} bytes set by 'backend.http.jsonBodyLimit'. Send a smaller body, or raise the limit.`,
      cause,
    );
  }
}

/**
 * A request body is in a content encoding or charset the parser cannot
 * read; HTTP 415.
 *
 * @public
 */
export class UnsupportedMediaTypeError extends CustomErrorBase {
  readonly name = 'UnsupportedMediaTypeError' as const;
  readonly status = 415;
  readonly statusCode = 415;
  readonly expose = true;
}
