import type { LoggerService } from '@plinth/backend-plugin-api';

/** The longest wait after repeated failures. */
const maxBackoffMs = 30_000;

/**
 * Calls `runOnce` over and over: at once while it finds work, after
 * `pollIntervalMs` when it found none, and after a growing delay while it
 * fails, as when the database is unreachable. `stop()` waits for the
 * running call to finish.
 */
export class PollingLoop {
  readonly #options: {
    description: string;
    logger: LoggerService;
    pollIntervalMs: number;
    runOnce: () => Promise<number>;
  };
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;

  constructor(options: {
    /** What the loop does, for log lines, e.g. 'catalog processing'. */
    description: string;
    logger: LoggerService;
    pollIntervalMs: number;
    /** Does one round of work; returns how much it did. */
    runOnce: () => Promise<number>;
  }) {
    this.#options = options;
  }

  /** Starts the loop; does nothing when it runs already. */
  start(): void {
    if (this.#running) {
      return;
    }
    this.#stopping = false;
    this.#running = this.#run();
  }

  /** Stops the loop and waits for the round in progress to end. */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#wake?.();
    await this.#running;
    this.#running = undefined;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let done = 0;
      try {
        done = await this.#options.runOnce();
        failures = 0;
      } catch (error) {
        failures += 1;
        this.#options.logger.error(
          `A round of ${this.#options.description} failed (${failures} in a row); retrying with a growing delay.`,
          error as Error,
        );
      }
      if (done === 0 && !this.#stopping) {
        await this.#sleep(
          failures === 0
            ? this.#options.pollIntervalMs
            : Math.min(
                maxBackoffMs,
                this.#options.pollIntervalMs * 2 ** failures,
              ),
        );
      }
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise(resolve => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
