import type { LoggerService } from '@plinth/backend-plugin-api';

/** The longest wait after repeated failures. */
const maxBackoffMs = 30_000;

/**
 * Calls `runOnce` over and over: at once while it finds work, after
 * `pollIntervalMs` when it found none, and after a growing delay while it
 * fails, as when the database is unreachable. With `batchSize`, a round
 * that did less than a full batch counts as having drained the backlog:
 * the next waits for the poll interval too, so that work coming due a
 * little at a time is taken in batches rather than in a stream of small
 * rounds, each with the full cost of a claim and a write. `wake()` cuts
 * the wait short, for work that this process itself just made due.
 * `stop()` waits for the running call to finish.
 */
export class PollingLoop {
  readonly #options: {
    description: string;
    logger: LoggerService;
    pollIntervalMs: number;
    batchSize?: number;
    runOnce: () => Promise<number>;
  };
  #running: Promise<void> | undefined;
  #stopping = false;
  #wake: (() => void) | undefined;
  #idle = false;
  /** A wake-up that came while a round ran, so the round's result is stale. */
  #woken = false;

  constructor(options: {
    /** What the loop does, for log lines, e.g. 'catalog processing'. */
    description: string;
    logger: LoggerService;
    pollIntervalMs: number;
    /** The most a round does; a round that did less waits before the next. */
    batchSize?: number;
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

  /**
   * Runs the next round without waiting for the poll interval: at once
   * when the loop waits, or right after the round in progress. Does not
   * shorten the delay after failures.
   */
  wake(): void {
    this.#woken = true;
    if (this.#idle) {
      this.#wake?.();
    }
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopping) {
      let done = 0;
      this.#woken = false;
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
      if (failures > 0 && !this.#stopping) {
        await this.#sleep(
          Math.min(maxBackoffMs, this.#options.pollIntervalMs * 2 ** failures),
        );
      } else if (
        done < (this.#options.batchSize ?? 1) &&
        !this.#woken &&
        !this.#stopping
      ) {
        this.#idle = true;
        await this.#sleep(this.#options.pollIntervalMs);
        this.#idle = false;
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
