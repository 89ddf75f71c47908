import { CustomErrorBase } from '@plinth/errors';

/**
 * The HTTP server could not listen on the configured address, such as
 * because the port is in use.
 *
 * @public
 */
export class HttpServerListenError extends CustomErrorBase {
  readonly name = 'HttpServerListenError' as const;

  /** Another process already listens on the port. */
  static portInUse(address: string, port: number): HttpServerListenError {
    return new HttpServerListenError(
      `Could not start the HTTP server on '${address}': port ${port} is already in use. Stop the process that uses it, or set 'backend.listen.port' to a free port (0 picks one).`,
    );
  }

  /** The port needs privileges the process does not have. */
  static permissionDenied(
    address: string,
    port: number,
  ): HttpServerListenError {
    return new HttpServerListenError(
      `Could not start the HTTP server on '${address}': the process may not listen on port ${port}. Set 'backend.listen.port' to a port above 1023, or grant the process the right to bind it.`,
    );
  }

  /** The host is not an address of this machine, or does not resolve. */
  static unknownHost(address: string, host: string): HttpServerListenError {
    return new HttpServerListenError(
      `Could not start the HTTP server on '${address}': '${host}' is not an address of this machine. Set 'backend.listen.host' to one of its addresses or names, or remove it to listen on every interface.`,
    );
  }

  /** Any other failure to listen; the cause says why. */
  static other(address: string, cause: Error): HttpServerListenError {
    return new HttpServerListenError(
      `Could not start the HTTP server on '${address}': ${cause.message.replace(/\.$/, '')}. Check 'backend.listen.host' and 'backend.listen.port'.`,
      cause,
    );
  }

  private constructor(message: string, cause?: unknown) {
    super(message, cause);
  }
}
