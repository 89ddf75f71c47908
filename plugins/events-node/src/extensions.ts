import { createExtensionPoint } from '@plinth/backend-plugin-api';
import type {
  EventBroker,
  EventPublisher,
  EventSubscriber,
} from './api/deprecatedTypes';
import type {
  HttpBodyParserOptions,
  HttpPostIngressOptions,
} from './api/httpIngress';

/**
 * What modules of the events plugin add to it: HTTP endpoints that
 * publish what they receive, and body parsers for them. The deprecated
 * methods exist for type compatibility; Backstage's events plugin throws
 * when they are called.
 *
 * @alpha
 */
export interface EventsExtensionPoint {
  /** @deprecated Use `eventsServiceRef` and its factory instead. */
  setEventBroker(eventBroker: EventBroker): void;
  /** @deprecated Use `EventsService.publish` instead. */
  addPublishers(
    ...publishers: Array<EventPublisher | Array<EventPublisher>>
  ): void;
  /** @deprecated Use `EventsService.subscribe` instead. */
  addSubscribers(
    ...subscribers: Array<EventSubscriber | Array<EventSubscriber>>
  ): void;
  /** Adds an endpoint that publishes each request on a topic. */
  addHttpPostIngress(options: HttpPostIngressOptions): void;
  /** Adds a body parser for a content type. */
  addHttpPostBodyParser(options: HttpBodyParserOptions): void;
}

/**
 * The events plugin's extension point, id `events`, as in Backstage.
 *
 * @alpha
 */
export const eventsExtensionPoint = createExtensionPoint<EventsExtensionPoint>({
  id: 'events',
});
