import type { LoggerService } from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import type { Knex } from 'knex';
import {
  comparePositions,
  readFeedHead,
  type FeedPosition,
} from './historyRows';

interface Waiter {
  after: FeedPosition | undefined;
  resolve: (changed: boolean) => void;
  timer: NodeJS.Timeout;
}

/**
 * Tells long polls and event streams that the feed has moved past their
 * position. One timer per process reads the feed's head (one indexed
 * row), and only while someone waits, so a thousand open streams cost the
 * database what one does.
 */
export class ChangeNotifier {
  readonly #knex: Knex;
  readonly #logger: LoggerService;
  readonly #pollMs: number;
  readonly #waiters = new Set<Waiter>();
  #timer: NodeJS.Timeout | undefined;
  #polling = false;
  #stopped = false;

  constructor(options: { knex: Knex; logger: LoggerService; pollMs: number }) {
    this.#knex = options.knex;
    this.#logger = options.logger;
    this.#pollMs = options.pollMs;
  }

  /** Whether the backend is shutting down; streams end when it is. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /**
   * @throws ServiceUnavailableError once the backend is shutting down, for
   *   a new stream or long poll, which would only hold the HTTP drain.
   */
  assertRunning(): void {
    if (this.#stopped) {
      throw new ServiceUnavailableError(
        'This catalog replica is shutting down and opens no new change stream or long poll. Reconnect in a moment (another replica answers), with Last-Event-ID or after= to go on where you were.',
      );
    }
  }

  /**
   * Resolves `true` once the feed has a change after `after`, `false`
   * after `timeoutMs`, when `signal` aborts (the client left) or when the
   * notifier stops.
   */
  waitForChange(
    after: FeedPosition | undefined,
    timeoutMs: number,
    signal?: AbortSignal,
  ): Promise<boolean> {
    if (this.#stopped || signal?.aborted) {
      return Promise.resolve(false);
    }
    return new Promise(resolve => {
      const onAbort = () => waiter.resolve(false);
      const waiter: Waiter = {
        after,
        resolve: changed => {
          clearTimeout(waiter.timer);
          signal?.removeEventListener('abort', onAbort);
          this.#waiters.delete(waiter);
          resolve(changed);
        },
        timer: setTimeout(() => waiter.resolve(false), timeoutMs),
      };
      signal?.addEventListener('abort', onAbort);
      this.#waiters.add(waiter);
      this.#timer ??= setInterval(() => void this.#poll(), this.#pollMs);
    });
  }

  /** Ends every wait, now and later: the backend is shutting down. */
  stop(): void {
    this.#stopped = true;
    for (const waiter of [...this.#waiters]) {
      waiter.resolve(false);
    }
    this.#clearTimer();
  }

  async #poll(): Promise<void> {
    if (this.#waiters.size === 0) {
      this.#clearTimer();
      return;
    }
    if (this.#polling) {
      return;
    }
    this.#polling = true;
    try {
      const head = await readFeedHead(this.#knex);
      for (const waiter of [...this.#waiters]) {
        if (
          head &&
          (!waiter.after || comparePositions(head, waiter.after) > 0)
        ) {
          waiter.resolve(true);
        }
      }
    } catch (error) {
      this.#logger.warn(
        'Could not read the head of the catalog change feed; long polls and event streams wait for the next try.',
        error as Error,
      );
    } finally {
      this.#polling = false;
    }
  }

  #clearTimer(): void {
    if (this.#timer) {
      clearInterval(this.#timer);
      this.#timer = undefined;
    }
  }
}
