import type { LoggerService } from '@plinth/backend-plugin-api';
import { isError } from '@plinth/errors';
import {
  assertPublishParams,
  assertSubscribeOptions,
} from '../api/assertEventsInput';
import type {
  EventParams,
  EventsService,
  EventsServiceSubscribeOptions,
} from '../api/EventsService';

interface Subscription {
  /** `<pluginId>.<id>`, or the bare id when subscribed without a plugin. */
  id: string;
  topics: ReadonlySet<string>;
  onEvent: EventsServiceSubscribeOptions['onEvent'];
}

/**
 * The in-process events service, and the default of `eventsServiceRef`
 * when a backend has no other factory: events reach the subscribers of
 * this process only, right away, and are not stored. `publish` resolves
 * once every subscriber of the topic has handled the event.
 *
 * Subscriber ids are consumer groups as in the database-backed service of
 * `@plinth/backend-defaults/events`: when several subscribers of one
 * plugin share an id, each event goes to the first of them subscribed to
 * its topic. A subscriber that throws is logged at warn level with its id
 * and the topic, and the event is not retried.
 *
 * @public
 */
export class DefaultEventsService implements EventsService {
  readonly #logger: LoggerService;
  readonly #subscriptions: Subscription[] = [];

  /**
   * Creates the service; `logger` receives subscriber failures.
   *
   * @example
   * ```ts
   * const events = DefaultEventsService.create({ logger });
   * await events.forPlugin('catalog').subscribe({ id: 'refresh', topics: ['github'], onEvent });
   * ```
   */
  static create(options: { logger: LoggerService }): DefaultEventsService {
    return new DefaultEventsService(options.logger);
  }

  private constructor(logger: LoggerService) {
    this.#logger = logger;
  }

  /**
   * The service as one plugin sees it: its subscriber ids are prefixed
   * with the plugin id, so two plugins' subscribers never share a group.
   */
  forPlugin(pluginId: string, options?: { logger?: LoggerService }) {
    const logger = options?.logger ?? this.#logger;
    return {
      publish: (params: EventParams) => this.#publish(params, logger),
      subscribe: (subscription: EventsServiceSubscribeOptions) =>
        this.#subscribe(subscription, `plugin '${pluginId}'`, pluginId),
    } satisfies EventsService;
  }

  async publish(params: EventParams): Promise<void> {
    await this.#publish(params, this.#logger);
  }

  async subscribe(options: EventsServiceSubscribeOptions): Promise<void> {
    await this.#subscribe(options, 'a subscriber');
  }

  async #subscribe(
    options: EventsServiceSubscribeOptions,
    owner: string,
    pluginId?: string,
  ): Promise<void> {
    assertSubscribeOptions(options, owner);
    this.#subscriptions.push({
      id: pluginId ? `${pluginId}.${options.id}` : options.id,
      topics: new Set(options.topics),
      onEvent: options.onEvent,
    });
  }

  async #publish(params: EventParams, logger: LoggerService): Promise<void> {
    assertPublishParams(params);
    const receivers = new Map<string, Subscription>();
    for (const subscription of this.#subscriptions) {
      if (
        subscription.topics.has(params.topic) &&
        !receivers.has(subscription.id)
      ) {
        receivers.set(subscription.id, subscription);
      }
    }
    await Promise.all(
      [...receivers.values()].map(async subscription => {
        try {
          await subscription.onEvent(params);
        } catch (error) {
          logger.warn(
            `Subscriber '${subscription.id}' failed to handle an event of topic '${params.topic}'; the event is not retried.`,
            isError(error) ? error : { error: String(error) },
          );
        }
      }),
    );
  }
}
