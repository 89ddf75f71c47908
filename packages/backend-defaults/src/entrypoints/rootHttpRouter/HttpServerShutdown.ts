import type { Server, ServerResponse } from 'node:http';

/**
 * Stops an HTTP server gracefully: {@link HttpServerShutdown.drain} stops
 * accepting connections and lets the requests in flight finish, closing
 * each connection after its last response; {@link HttpServerShutdown.close}
 * does the same but ends whatever is left once its deadline has passed.
 */
export class HttpServerShutdown {
  readonly #server: Server;
  readonly #inFlight = new Set<ServerResponse>();
  #draining = false;
  #closed?: Promise<void>;

  /** Starts tracking the requests of `server`; call before it serves any. */
  static track(server: Server): HttpServerShutdown {
    return new HttpServerShutdown(server);
  }

  private constructor(server: Server) {
    this.#server = server;
    // Runs before the app, so even a response the app sends at once can
    // still get the header.
    server.prependListener('request', (_req, res: ServerResponse) => {
      if (this.#draining) {
        res.setHeader('Connection', 'close');
      }
      this.#inFlight.add(res);
      res.once('close', () => {
        this.#inFlight.delete(res);
        if (this.#draining) {
          // A response that had sent its headers before the drain began
          // leaves a keep-alive connection behind; close it once idle.
          setImmediate(() => this.#server.closeIdleConnections());
        }
      });
    });
  }

  /** The number of requests whose responses have not ended. */
  get inFlight(): number {
    return this.#inFlight.size;
  }

  /**
   * Stops accepting connections, asks clients to close theirs after the
   * current response (`Connection: close`), closes idle keep-alive
   * connections, and resolves when every connection has ended.
   */
  drain(): Promise<void> {
    this.#draining = true;
    for (const res of this.#inFlight) {
      if (!res.headersSent) {
        res.setHeader('Connection', 'close');
      }
    }
    // The callback also runs, with an error, when the server never
    // listened; there is nothing left to wait for then either.
    this.#closed ??= new Promise(resolve =>
      this.#server.close(() => resolve()),
    );
    this.#server.closeIdleConnections();
    return this.#closed;
  }

  /**
   * Drains for at most `timeoutMs`, then ends every connection still open,
   * in flight or not, and resolves once the server has closed.
   *
   * @returns the number of requests whose connections were ended before
   *   their responses finished; 0 when the drain finished in time.
   */
  async close(timeoutMs: number): Promise<number> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<true>(resolve => {
      timer = setTimeout(() => resolve(true), timeoutMs);
    });
    try {
      const drained = await Promise.race([this.drain(), timedOut]);
      if (drained === true) {
        const cut = this.#inFlight.size;
        this.#server.closeAllConnections();
        await this.#closed;
        return cut;
      }
      return 0;
    } finally {
      clearTimeout(timer);
    }
  }
}
