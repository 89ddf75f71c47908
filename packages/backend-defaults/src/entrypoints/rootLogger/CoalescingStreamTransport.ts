import TransportStream from 'winston-transport';

/** Where winston's formats leave the finished line (triple-beam's MESSAGE). */
const MESSAGE = Symbol.for('message');

/**
 * The part of a writable stream {@link CoalescingStreamTransport} uses.
 *
 * @public
 */
export interface LineSink {
  write(text: string): unknown;
}

/**
 * Options for {@link CoalescingStreamTransport}.
 *
 * @public
 */
export interface CoalescingStreamTransportOptions {
  /**
   * Where the lines go.
   * @defaultValue `process.stdout`
   */
  stream?: LineSink;
  /**
   * How long the first line of a batch may wait for others, in ms; 0
   * writes at the end of the event-loop turn it was logged in.
   * @defaultValue 10
   */
  flushDelayMs?: number;
  /**
   * Pending characters past which the lines are written at once rather
   * than at the end of the event-loop turn, so a burst of lines does not
   * grow one large string.
   * @defaultValue 65536
   */
  maxPendingChars?: number;
}

/** Transports holding lines not yet written; the exit hook flushes them. */
const pendingTransports = new Set<CoalescingStreamTransport>();
let exitHookInstalled = false;
/** Set on `exit`: no timer runs after it, so every line is written at once. */
let exiting = false;

/**
 * A winston transport that writes the lines logged within a few
 * milliseconds to its stream in one write.
 *
 * @remarks
 * On Linux, Node writes to stdout synchronously when it is a pipe or a
 * file, one system call per write, and a busy backend handles only a few
 * requests per event-loop turn: a line per request cost a system call per
 * request, which lines of the same 10 ms now share. Nothing is lost on the
 * way out: pending lines are written synchronously on the process's
 * `exit` event, which follows `process.exit()`, the end of the event loop,
 * and an uncaught exception or unhandled rejection (after Node prints it);
 * lines that later `exit` listeners log are written at once. A signal
 * without a handler ends the process without `exit`, losing at most the
 * lines of the last `flushDelayMs`; the backend's own SIGINT and SIGTERM
 * handlers stop it through `process.exit()`.
 *
 * @public
 */
export class CoalescingStreamTransport extends TransportStream {
  readonly #stream: LineSink;
  readonly #flushDelayMs: number;
  readonly #maxPendingChars: number;
  #pending = '';
  #flushScheduled = false;

  constructor(options: CoalescingStreamTransportOptions = {}) {
    super();
    this.#stream = options.stream ?? process.stdout;
    this.#flushDelayMs = options.flushDelayMs ?? 10;
    this.#maxPendingChars = options.maxPendingChars ?? 65536;
    installExitHook();
  }

  override log(
    info: Record<string | symbol, unknown>,
    callback: () => void,
  ): void {
    this.#pending += `${String(info[MESSAGE])}\n`;
    if (exiting || this.#pending.length >= this.#maxPendingChars) {
      this.flush();
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      pendingTransports.add(this);
      this.#scheduleFlush();
    }
    // winston's exception handlers wait for 'logged'; nothing else listens,
    // and an event per line is a cost of its own.
    if (this.listenerCount('logged') > 0) {
      setImmediate(() => this.emit('logged', info));
    }
    callback();
  }

  /** Writes the pending lines now. */
  flush(): void {
    this.#flushScheduled = false;
    pendingTransports.delete(this);
    if (this.#pending === '') {
      return;
    }
    const text = this.#pending;
    this.#pending = '';
    this.#stream.write(text);
  }

  override close(): void {
    this.flush();
  }

  #scheduleFlush(): void {
    if (this.#flushDelayMs === 0) {
      setImmediate(() => this.flush());
      return;
    }
    // Unreferenced: a pending batch must not keep the process alive; the
    // exit hook writes it.
    setTimeout(() => this.flush(), this.#flushDelayMs).unref();
  }
}

function installExitHook() {
  if (exitHookInstalled) {
    return;
  }
  exitHookInstalled = true;
  process.on('exit', () => {
    exiting = true;
    for (const transport of [...pendingTransports]) {
      transport.flush();
    }
  });
}
