/**
 * The events plugin's extension point, for its modules.
 *
 * @packageDocumentation
 */
export { eventsExtensionPoint, type EventsExtensionPoint } from './extensions';
