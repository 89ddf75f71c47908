import { CustomErrorBase } from '@plinth/errors';

/**
 * A request body is larger than `backend.http.jsonBodyLimit`; answered
 * with HTTP 413.
 *
 * @public
 */
export class RequestBodyTooLargeError extends CustomErrorBase {
  readonly name = 'RequestBodyTooLargeError' as const;

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
