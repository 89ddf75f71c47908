import type {
  EventParams,
  EventsService,
  EventsServiceSubscribeOptions,
} from '@plinth/plugin-events-node';
import {
  assertPublishParams,
  assertSubscribeOptions,
} from '@plinth/plugin-events-node';
import type { LoggerService } from '@plinth/backend-plugin-api';
import type { MetricsService } from '@plinth/backend-plugin-api/alpha';
import { ServiceUnavailableError } from '@plinth/errors';
import { randomUUID } from 'node:crypto';
import type { EventsRetention, EventsStore } from './EventsStore';
import { SubscriptionWorker } from './SubscriptionWorker';
import { DeliveryMetrics } from './DeliveryMetrics';

/**
 * How the database-backed events service delivers; all but the store
 * have defaults, which tests shorten.
 *
 * @public
 */
export interface DatabaseEventsServiceOptions {
  /** Receives delivery failures and retention results. */
  logger: LoggerService;
  /**
   * How often each subscriber looks for events published by other
   * replicas; events of this replica wake it at once.
   * @defaultValue 1 second
   */
  pollIntervalMs?: number;
  /** @defaultValue 1 day, 10 minutes, 10 000 events */
  retention?: Partial<EventsRetention>;
  /**
   * How often each replica deletes what retention no longer keeps.
   * @defaultValue 1 minute
   */
  trimIntervalMs?: number;
  /**
   * The waits between a failed delivery and its next attempt; an event
   * is tried once more than there are waits, then skipped.
   * @defaultValue `[1000, 5000]`: three attempts
   */
  retryDelaysMs?: readonly number[];
  /**
   * How long a replica's claim on a subscriber lasts without being
   * renewed; it is renewed while a handler runs, so it only matters when
   * a replica dies while delivering.
   * @defaultValue 1 minute
   */
  leaseMs?: number;
}

/** @internal the resolved options, shared with {@link SubscriptionWorker}. */
export interface DeliverySettings {
  pollIntervalMs: number;
  retryDelaysMs: readonly number[];
  leaseMs: number;
  batchSize: number;
}

const defaultRetention: EventsRetention = {
  maxAgeMs: 24 * 60 * 60 * 1000,
  minAgeMs: 10 * 60 * 1000,
  maxCount: 10_000,
};

/**
 * The events service of `createBackend()`: events are stored in the
 * database, and each subscriber id (a consumer group, as in Backstage)
 * receives each event once, in publish order, whichever replica published
 * it; a subscriber id that was down catches up, within retention, when it
 * subscribes again. See the README of `@plinth/backend-defaults` for the
 * delivery and retry policy.
 *
 * @public
 */
export class DatabaseEventsService {
  readonly #store: () => Promise<EventsStore>;
  readonly #logger: LoggerService;
  readonly #settings: DeliverySettings;
  readonly #retention: EventsRetention;
  readonly #trimIntervalMs: number;
  readonly #holder = randomUUID();
  readonly #workers = new Map<string, SubscriptionWorker>();
  #trimTimer?: NodeJS.Timeout;
  #trimming?: Promise<void>;
  #stopped = false;

  /**
   * Creates the service; `store` is called on first use and its result
   * kept, so nothing connects until a plugin publishes or subscribes.
   *
   * @example
   * ```ts
   * const events = DatabaseEventsService.create(
   *   () => EventsStore.open(knex),
   *   { logger },
   * );
   * ```
   */
  static create(
    store: () => Promise<EventsStore>,
    options: DatabaseEventsServiceOptions,
  ): DatabaseEventsService {
    return new DatabaseEventsService(store, options);
  }

  private constructor(
    store: () => Promise<EventsStore>,
    options: DatabaseEventsServiceOptions,
  ) {
    let opened: Promise<EventsStore> | undefined;
    this.#store = () => {
      if (!opened) {
        opened = store();
        // A failed open is not kept, so the next call tries again.
        opened.catch(() => {
          opened = undefined;
        });
        opened.then(
          () => this.#startTrimming(),
          () => undefined,
        );
      }
      return opened;
    };
    this.#logger = options.logger;
    this.#settings = {
      pollIntervalMs: options.pollIntervalMs ?? 1000,
      retryDelaysMs: options.retryDelaysMs ?? [1000, 5000],
      leaseMs: options.leaseMs ?? 60_000,
      batchSize: 100,
    };
    this.#retention = { ...defaultRetention, ...options.retention };
    this.#trimIntervalMs = options.trimIntervalMs ?? 60_000;
  }

  /**
   * The service as one plugin sees it: subscriber ids are prefixed with
   * the plugin id (`<pluginId>.<id>`), as Backstage does, so two plugins'
   * subscribers never share a group. With `metrics`, the delivery of the
   * plugin's subscribers is measured on it (`events.delivery.lag` and
   * `events.delivery.oldest_pending_age`, see the package README).
   */
  forPlugin(
    pluginId: string,
    options?: { logger?: LoggerService; metrics?: MetricsService },
  ) {
    const logger = options?.logger ?? this.#logger;
    const metrics =
      options?.metrics && new DeliveryMetrics(options.metrics, logger);
    return {
      publish: (params: EventParams) => this.#publish(params),
      subscribe: (subscription: EventsServiceSubscribeOptions) =>
        this.#subscribe(`${pluginId}.${subscription.id}`, subscription, {
          owner: `plugin '${pluginId}'`,
          logger,
          metrics,
        }),
    } satisfies EventsService;
  }

  /**
   * Stops delivering: no handler is called afterwards, and the promise
   * resolves once the handlers running now have returned. Events that
   * were not delivered stay stored for the next start or another replica.
   * Publishing still works until the database closes.
   */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#trimTimer);
    await Promise.all([...this.#workers.values()].map(w => w.stop()));
    await this.#trimming;
  }

  async #publish(params: EventParams): Promise<void> {
    assertPublishParams(params);
    const store = await this.#store();
    await store.publish({
      topic: params.topic,
      eventPayload: params.eventPayload,
      metadata: params.metadata,
    });
    for (const worker of this.#workers.values()) {
      if (worker.wants(params.topic)) {
        worker.wake();
      }
    }
  }

  async #subscribe(
    id: string,
    options: EventsServiceSubscribeOptions,
    context: {
      owner: string;
      logger: LoggerService;
      metrics?: DeliveryMetrics;
    },
  ): Promise<void> {
    assertSubscribeOptions(options, context.owner);
    if (this.#stopped) {
      throw new ServiceUnavailableError(
        `Cannot subscribe '${id}' to events: the events service has stopped because the backend is shutting down.`,
      );
    }
    const store = await this.#store();
    await store.ensureSubscription(id, options.topics);
    const existing = this.#workers.get(id);
    if (existing) {
      existing.addHandler(options.topics, options.onEvent);
      existing.wake();
      return;
    }
    const { metrics } = context;
    const worker = new SubscriptionWorker({
      id,
      store,
      holder: this.#holder,
      logger: context.logger,
      settings: this.#settings,
      onLag: metrics && ((topic, s) => metrics.recordLag(id, topic, s)),
    });
    worker.addHandler(options.topics, options.onEvent);
    metrics?.watch(id, worker);
    this.#workers.set(id, worker);
    worker.start();
  }

  #startTrimming() {
    if (this.#trimTimer || this.#stopped) {
      return;
    }
    this.#trimTimer = setInterval(() => {
      this.#trimming ??= this.#trim().finally(() => {
        this.#trimming = undefined;
      });
    }, this.#trimIntervalMs);
    // Trimming alone never keeps the process alive.
    this.#trimTimer.unref();
  }

  async #trim(): Promise<void> {
    try {
      const deleted = await (await this.#store()).trim(this.#retention);
      if (deleted > 0) {
        this.#logger.debug(`Deleted ${deleted} events beyond retention.`);
      }
    } catch (error) {
      this.#logger.warn(
        'Could not delete the events beyond retention; trying again at the next interval.',
        error instanceof Error ? error : { error: String(error) },
      );
    }
  }
}
