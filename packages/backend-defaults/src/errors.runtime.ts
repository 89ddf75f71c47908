import { CustomErrorBase, isError, redactUrl } from '@plinth/errors';

// The errors of the runtime services: the HTTP routers, the URL reader and
// the scheduler. Two keep a class of their own because they map to an HTTP
// status (and callers tell `UrlFetchError` apart by name); the others are
// one family, `RuntimeServiceError`, told apart by `code`.

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

/**
 * An http(s) URL could not be read: the host did not resolve, the
 * connection failed or timed out, the server answered with an error status,
 * or it redirected too often. Answered with HTTP 502.
 *
 * @public
 */
export class UrlFetchError extends CustomErrorBase {
  readonly name = 'UrlFetchError' as const;

  /** The server answered with a status other than success, 304 or 404. */
  static status(
    url: string,
    status: number,
    statusText: string | undefined,
  ): UrlFetchError {
    const fix =
      status >= 500
        ? 'The server failed; try again later.'
        : 'Check the URL, and that the server lets this backend read it.';
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the server answered ${status}${statusText ? ` ${statusText}` : ''}. ${fix}`,
      undefined,
      status,
    );
  }

  /** The host name could not be resolved to an address. */
  static lookup(url: string, hostname: string, cause: unknown): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': host '${hostname}' could not be resolved (${describeFetchCause(cause)}). Check the host name and the DNS of this backend.`,
      cause,
    );
  }

  /** The connection failed or broke off. */
  static network(url: string, cause: unknown): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the request failed (${describeFetchCause(cause)}). Check that the server is reachable from this backend.`,
      cause,
    );
  }

  /** No complete answer arrived in time. */
  static timeout(url: string, timeoutMs: number): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': no complete answer arrived within ${timeoutMs} ms. Check the server, or raise 'backend.reading.timeout'.`,
    );
  }

  /** The server kept redirecting. */
  static tooManyRedirects(url: string, maxRedirects: number): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': it redirects more than ${maxRedirects} times. Read the final URL directly.`,
    );
  }

  /** A redirect's `Location` is not a URL. */
  static invalidRedirect(url: string, location: string): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the server redirects to '${redactUrl(location)}', which is not a valid URL. Ask the server's owner to fix the redirect, or read the final URL directly.`,
    );
  }

  private constructor(
    /** The URL as {@link redactUrl} shows it: no credentials, query values or fragment. */
    readonly url: string,
    message: string,
    cause?: unknown,
    /** The HTTP status the server answered with, when it answered. */
    readonly statusCode?: number,
  ) {
    super(message, cause);
  }
}

/** A failed lookup or connection by its error code, such as `ENOTFOUND`. */
function describeFetchCause(error: unknown): string {
  if (!isError(error)) {
    return String(error);
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}

// ---------------------------------------------------------------------------
// RuntimeServiceError: the coded errors of the runtime services
// (rootHttpRouter, urlReader, scheduler). Self-contained: class, code union
// and docs, to be merged into the package's src/errors.ts.
// ---------------------------------------------------------------------------

/**
 * What went wrong in a {@link RuntimeServiceError}; the prefix names the
 * service.
 *
 * - `HTTP_SERVER_PORT_IN_USE`: another process listens on
 *   `backend.listen.port`. Fix: stop it, or pick a free port (0 picks one).
 * - `HTTP_SERVER_PERMISSION_DENIED`: the process may not bind the port.
 *   Fix: use a port above 1023, or grant the right to bind it.
 * - `HTTP_SERVER_UNKNOWN_HOST`: `backend.listen.host` is not an address of
 *   this machine. Fix: use one of its addresses, or remove the key.
 * - `HTTP_SERVER_LISTEN_FAILED`: listening failed for another reason, given
 *   as the cause. Fix: check `backend.listen.host` and `.port`.
 * - `URL_READ_TOO_LARGE`: a URL's content is larger than
 *   `backend.reading.maxSize`. Fix: raise the limit.
 * - `SCHEDULER_TASK_TIMED_OUT`: a task's run passed its timeout, so its
 *   signal aborted. Fix: make the task stop when its signal aborts, and
 *   raise the timeout if the work needs longer.
 * - `SCHEDULER_TASK_CANCELLED`: the signal passed to `scheduleTask` aborted
 *   the run. Fix: schedule the task again to resume it.
 * - `SCHEDULER_TASK_SHUT_DOWN`: the plugin is shutting down, so the run's
 *   signal aborted. Nothing to fix: it runs again after a restart.
 *
 * @public
 */
export type RuntimeServiceErrorCode =
  | 'HTTP_SERVER_PORT_IN_USE'
  | 'HTTP_SERVER_PERMISSION_DENIED'
  | 'HTTP_SERVER_UNKNOWN_HOST'
  | 'HTTP_SERVER_LISTEN_FAILED'
  | 'URL_READ_TOO_LARGE'
  | 'SCHEDULER_TASK_TIMED_OUT'
  | 'SCHEDULER_TASK_CANCELLED'
  | 'SCHEDULER_TASK_SHUT_DOWN';

/**
 * A runtime service could not do what it was asked, for a reason its
 * `code` names: the HTTP server could not listen, a URL's content was too
 * large, or a scheduled task's run was aborted (the reason its
 * `AbortSignal` carries). The message says which ids are involved and how
 * to fix it.
 *
 * @public
 */
export class RuntimeServiceError extends CustomErrorBase {
  readonly name = 'RuntimeServiceError' as const;

  constructor(
    /** What went wrong; stable across releases, unlike the message. */
    readonly code: RuntimeServiceErrorCode,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause);
  }
}
