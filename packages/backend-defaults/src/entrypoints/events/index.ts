export { eventsServiceFactory } from './eventsServiceFactory';
export {
  DatabaseEventsService,
  type DatabaseEventsServiceOptions,
} from './DatabaseEventsService';
export {
  EventsStore,
  type EventsRetention,
  type ReadEvent,
  type StoredEvent,
} from './EventsStore';
