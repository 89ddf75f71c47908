import { CustomErrorBase, isError, redactUrl } from '@plinth/errors';

function describeCause(error: unknown): string {
  if (!isError(error)) {
    return String(error);
  }
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' ? code : error.message;
}

/**
 * An http(s) URL could not be read: the host did not resolve, the
 * connection failed or timed out, the server answered with an error status,
 * or it redirected too often.
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
      `Cannot read '${url}': host '${hostname}' could not be resolved (${describeCause(cause)}). Check the host name and the DNS of this backend.`,
      cause,
    );
  }

  /** The connection failed or broke off. */
  static network(url: string, cause: unknown): UrlFetchError {
    return new UrlFetchError(
      url,
      `Cannot read '${url}': the request failed (${describeCause(cause)}). Check that the server is reachable from this backend.`,
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
