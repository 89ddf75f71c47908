import type { EventParams, EventsService } from './EventsService';

/**
 * Receives the events of some topics and republishes each one on the
 * topic {@link EventRouter.determineDestinationTopic} picks, or drops it
 * when that returns `undefined` (the message router pattern). Subclasses
 * name their subscriber id and the routing rule.
 *
 * @example
 * ```ts
 * class ByActionRouter extends EventRouter {
 *   constructor(events: EventsService) {
 *     super({ events, topics: ['github'] });
 *   }
 *   protected getSubscriberId() {
 *     return 'ByActionRouter';
 *   }
 *   protected determineDestinationTopic(params: EventParams) {
 *     const action = (params.eventPayload as { action?: string }).action;
 *     return action ? `github.${action}` : undefined;
 *   }
 * }
 * await new ByActionRouter(events).subscribe();
 * ```
 * @public
 */
export abstract class EventRouter {
  readonly #events: EventsService;
  readonly #topics: string[];
  #subscribed = false;

  protected constructor(options: { events: EventsService; topics: string[] }) {
    this.#events = options.events;
    this.#topics = [...options.topics];
  }

  /** The subscriber id the router subscribes with, unique in its plugin. */
  protected abstract getSubscriberId(): string;

  /** The topic to republish an event on, or `undefined` to drop it. */
  protected abstract determineDestinationTopic(
    params: EventParams,
  ): string | undefined;

  /**
   * Subscribes the router to its topics; calling it again does nothing,
   * so a router never receives an event twice.
   */
  async subscribe(): Promise<void> {
    if (this.#subscribed) {
      return;
    }
    this.#subscribed = true;
    await this.#events.subscribe({
      id: this.getSubscriberId(),
      topics: this.#topics,
      onEvent: params => this.onEvent(params),
    });
  }

  /** Republishes one event, payload and metadata unchanged, on its destination. */
  async onEvent(params: EventParams): Promise<void> {
    const topic = this.determineDestinationTopic(params);
    if (topic === undefined) {
      return;
    }
    await this.#events.publish({ ...params, topic });
  }
}

/**
 * An {@link EventRouter} for one topic that republishes each event on a
 * sub-topic of it: `<topic>.<sub-topic>`, with the sub-topic taken from the
 * payload or metadata by {@link SubTopicEventRouter.determineSubTopic}.
 *
 * @public
 */
export abstract class SubTopicEventRouter extends EventRouter {
  protected constructor(options: { events: EventsService; topic: string }) {
    super({ events: options.events, topics: [options.topic] });
  }

  /** The sub-topic of an event, or `undefined` to drop it. */
  protected abstract determineSubTopic(params: EventParams): string | undefined;

  protected determineDestinationTopic(params: EventParams): string | undefined {
    const subTopic = this.determineSubTopic(params);
    return subTopic ? `${params.topic}.${subTopic}` : undefined;
  }
}
