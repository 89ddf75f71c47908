/**
 * The events service contract for Plinth plugins and modules, compatible
 * with Backstage's `@backstage/plugin-events-node`: `eventsServiceRef`,
 * its in-process default factory, event routers, and the types of the
 * events plugin's HTTP ingress.
 *
 * @packageDocumentation
 */
export {
  EVENTS_NOTIFY_TIMEOUT_HEADER,
  type EventParams,
  type EventsService,
  type EventsServiceEventHandler,
  type EventsServiceSubscribeOptions,
} from './api/EventsService';
export { EventRouter, SubTopicEventRouter } from './api/EventRouter';
export type {
  EventBroker,
  EventPublisher,
  EventSubscriber,
} from './api/deprecatedTypes';
export type {
  HttpBodyParsed,
  HttpBodyParser,
  HttpBodyParserOptions,
  HttpPostIngressOptions,
  ParsedMediaType,
  ParsedQueryString,
  RequestDetails,
  RequestRejectionDetails,
  RequestValidationContext,
  RequestValidator,
} from './api/httpIngress';
export {
  assertPublishParams,
  assertSubscribeOptions,
} from './api/assertEventsInput';
export { DefaultEventsService } from './service/DefaultEventsService';
export {
  eventsServiceFactory,
  eventsServiceRef,
} from './service/eventsServiceRef';
