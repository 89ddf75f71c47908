import type { EventParams } from './EventsService';

/**
 * An object that reacts to events of the topics it names; the contract
 * before {@link EventsService}, kept so older modules still type-check.
 *
 * @public
 * @deprecated Subscribe with `EventsService.subscribe` instead.
 */
export interface EventSubscriber {
  /**
   * The topics to receive events of.
   * @deprecated Pass `topics` to `EventsService.subscribe` instead.
   */
  supportsEventTopics(): string[];
  /**
   * Receives one event.
   * @deprecated Pass `onEvent` to `EventsService.subscribe` instead.
   */
  onEvent(params: EventParams): Promise<void>;
}

/**
 * Publishes events and registers subscribers; the broker interface before
 * {@link EventsService}.
 *
 * @public
 * @deprecated Use `EventsService` instead.
 */
export interface EventBroker {
  /** Publishes an event to the subscribers of its topic. */
  publish(params: EventParams): Promise<void>;
  /** Registers subscribers for the topics they support. */
  subscribe(
    ...subscribers: Array<EventSubscriber | Array<EventSubscriber>>
  ): void;
}

/**
 * An object that publishes events once it is handed a broker.
 *
 * @public
 * @deprecated Depend on `eventsServiceRef` and call `publish` instead.
 */
export interface EventPublisher {
  /**
   * Hands the publisher the broker to publish through.
   * @deprecated Depend on `eventsServiceRef` instead.
   */
  setEventBroker(eventBroker: EventBroker): Promise<void>;
}
