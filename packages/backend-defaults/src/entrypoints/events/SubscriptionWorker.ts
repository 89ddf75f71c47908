import type { LoggerService } from '@plinth/backend-plugin-api';
import type { EventsServiceEventHandler } from '@plinth/plugin-events-node';
import type { DeliverySettings } from './DatabaseEventsService';
import type { EventsStore, ReadEvent } from './EventsStore';

interface Handler {
  topics: ReadonlySet<string>;
  onEvent: EventsServiceEventHandler;
}

/** How a delivery ended. */
type Outcome = 'handled' | 'skipped' | 'stopped';

/**
 * Delivers the events of one subscriber id in this replica: a loop that
 * wakes on local publishes or every poll interval, takes the subscriber's
 * lease, hands each event in order to the handler, and records progress
 * after each one. Each subscriber has its own loop, so a slow one delays
 * only itself.
 */
export class SubscriptionWorker {
  readonly #id: string;
  readonly #store: EventsStore;
  readonly #holder: string;
  readonly #logger: LoggerService;
  readonly #settings: DeliverySettings;
  readonly #handlers: Handler[] = [];
  #loop?: Promise<void>;
  #stopped = false;
  #woken = false;
  #wakeUp?: () => void;
  readonly #onLag?: (topic: string, seconds: number) => void;

  constructor(options: {
    id: string;
    store: EventsStore;
    holder: string;
    logger: LoggerService;
    settings: DeliverySettings;
    /** Told how long each event waited, from its publish to its handler's start. */
    onLag?: (topic: string, seconds: number) => void;
  }) {
    this.#id = options.id;
    this.#onLag = options.onLag;
    this.#store = options.store;
    this.#holder = options.holder;
    this.#logger = options.logger;
    this.#settings = options.settings;
  }

  /**
   * Adds a handler. Handlers of one id in one replica share its stream:
   * each event goes to the first handler subscribed to its topic.
   */
  addHandler(topics: readonly string[], onEvent: EventsServiceEventHandler) {
    this.#handlers.push({ topics: new Set(topics), onEvent });
  }

  /** Whether a handler of this worker takes events of `topic`. */
  wants(topic: string): boolean {
    return this.#handlers.some(h => h.topics.has(topic));
  }

  /**
   * Seconds since the oldest event this subscriber has not handled was
   * published; 0 when none waits, and `undefined` once stopped.
   */
  async oldestPendingAge(): Promise<number | undefined> {
    if (this.#stopped) {
      return undefined;
    }
    return this.#store.oldestPendingAge(this.#id, this.#topics());
  }

  #topics(): string[] {
    return [...new Set(this.#handlers.flatMap(h => [...h.topics]))];
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Looks for events now rather than at the next poll. */
  wake(): void {
    this.#woken = true;
    this.#wakeUp?.();
  }

  /** Ends the loop once the running handler, if any, returns. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#wakeUp?.();
    await this.#loop;
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (!this.#stopped) {
      this.#woken = false;
      let waitMs = this.#settings.pollIntervalMs;
      try {
        await this.#drain();
        failures = 0;
      } catch (error) {
        failures += 1;
        // Back off up to 30 polls while the database is unreachable.
        waitMs *= Math.min(2 ** (failures - 1), 30);
        this.#logger.warn(
          `Could not read the events of subscriber '${this.#id}'; trying again in ${waitMs} ms.`,
          toLogMeta(error),
        );
      }
      await this.#sleep(waitMs, { wakeable: true });
    }
  }

  /** Delivers every waiting event, unless another replica holds the lease. */
  async #drain(): Promise<void> {
    const topics = this.#topics();
    if (!(await this.#store.hasPending(this.#id, topics))) {
      return;
    }
    let cursor = await this.#store.claim(
      this.#id,
      this.#holder,
      this.#settings.leaseMs,
    );
    if (cursor === undefined) {
      return; // Another replica is delivering; it reads until none are left.
    }
    try {
      for (;;) {
        const events = await this.#store.read(
          cursor,
          topics,
          this.#settings.batchSize,
        );
        if (events.length === 0) {
          return;
        }
        const readAt = performance.now();
        for (const event of events) {
          // Stopping leaves the rest stored for the next start or another
          // replica.
          if (
            this.#stopped ||
            (await this.#deliver(event, readAt)) === 'stopped'
          ) {
            return;
          }
          const held = await this.#store.advance(
            this.#id,
            this.#holder,
            event.id,
            this.#settings.leaseMs,
          );
          if (!held) {
            this.#logger.warn(
              `Subscriber '${this.#id}' lost its lease while handling event ${event.id} of topic '${event.topic}'; another replica continues from there.`,
            );
            return;
          }
          cursor = event.id;
        }
      }
    } finally {
      await this.#store.release(this.#id, this.#holder);
    }
  }

  /**
   * Hands one event to its handler, retrying after each of the retry
   * delays; after the last failed attempt the event is logged and skipped,
   * so one bad event cannot stop the subscriber for good.
   */
  async #deliver(event: ReadEvent, readAt: number): Promise<Outcome> {
    const handler = this.#handlers.find(h => h.topics.has(event.topic));
    if (!handler) {
      return 'skipped'; // Its handler's topics changed since it was read.
    }
    // Its age by the database's clock when read, plus the wait since by
    // this process's monotonic clock: no clock skew between replicas.
    this.#onLag?.(
      event.topic,
      event.ageSeconds + (performance.now() - readAt) / 1000,
    );
    const params = {
      topic: event.topic,
      eventPayload: event.eventPayload,
      ...(event.metadata ? { metadata: event.metadata } : {}),
    };
    const delays = this.#settings.retryDelaysMs;
    const attempts = delays.length + 1;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#withRenewedLease(() => handler.onEvent(params));
        return 'handled';
      } catch (error) {
        const what = `Subscriber '${this.#id}' failed to handle event ${event.id} of topic '${event.topic}' (attempt ${attempt} of ${attempts})`;
        if (attempt === attempts) {
          this.#logger.error(`${what}; skipping the event.`, toLogMeta(error));
          return 'skipped';
        }
        const delay = delays[attempt - 1];
        this.#logger.warn(
          `${what}; trying again in ${delay} ms.`,
          toLogMeta(error),
        );
        await this.#sleep(delay, { wakeable: false });
        if (this.#stopped) {
          return 'stopped';
        }
      }
    }
  }

  /** Runs a handler, renewing the lease so no other replica takes over. */
  async #withRenewedLease(run: () => Promise<void>): Promise<void> {
    const renewal = setInterval(() => {
      this.#store
        .renew(this.#id, this.#holder, this.#settings.leaseMs)
        .catch(error =>
          this.#logger.warn(
            `Could not renew the lease of subscriber '${this.#id}'.`,
            toLogMeta(error),
          ),
        );
    }, this.#settings.leaseMs / 3);
    try {
      await run();
    } finally {
      clearInterval(renewal);
    }
  }

  /**
   * Waits `ms`, or less when stopped or, if `wakeable`, woken; a wake that
   * came while delivering ends the wait at once.
   */
  #sleep(ms: number, options: { wakeable: boolean }): Promise<void> {
    if (this.#stopped || (options.wakeable && this.#woken)) {
      return Promise.resolve();
    }
    return new Promise<void>(resolve => {
      const timer = setTimeout(done, ms);
      const wakeUp = () => {
        if (this.#stopped || options.wakeable) {
          done();
        }
      };
      this.#wakeUp = wakeUp;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    }).finally(() => {
      this.#wakeUp = undefined;
    });
  }
}

function toLogMeta(error: unknown) {
  return error instanceof Error ? error : { error: String(error) };
}
