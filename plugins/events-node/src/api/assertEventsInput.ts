import { describeValue, InputError } from '@plinth/errors';
import type {
  EventParams,
  EventsServiceSubscribeOptions,
} from './EventsService';

/**
 * Checks what a caller passed to `EventsService.publish`, so every
 * implementation refuses the same mistakes with the same message.
 *
 * @throws {@link @plinth/errors#InputError} naming the invalid field.
 * @internal
 */
export function assertPublishParams(params: EventParams): void {
  if (typeof params !== 'object' || params === null) {
    throw new InputError(
      `Cannot publish an event: expected an object with 'topic' and 'eventPayload', got ${describeValue(params)}.`,
    );
  }
  if (typeof params.topic !== 'string' || params.topic.trim() === '') {
    throw new InputError(
      `Cannot publish an event: 'topic' must be a non-empty string, got ${describeValue(params.topic)}.`,
    );
  }
}

/**
 * Checks what a caller passed to `EventsService.subscribe`.
 *
 * @param owner - who subscribes, for the message, such as `plugin 'catalog'`.
 * @throws {@link @plinth/errors#InputError} naming the invalid field.
 * @internal
 */
export function assertSubscribeOptions(
  options: EventsServiceSubscribeOptions,
  owner: string,
): void {
  const start = `Cannot subscribe ${owner} to events`;
  if (typeof options !== 'object' || options === null) {
    throw new InputError(
      `${start}: expected an object with 'id', 'topics' and 'onEvent', got ${describeValue(options)}.`,
    );
  }
  if (typeof options.id !== 'string' || options.id.trim() === '') {
    throw new InputError(
      `${start}: 'id' must be a non-empty string, got ${describeValue(options.id)}.`,
    );
  }
  const topics: unknown = options.topics;
  if (
    !Array.isArray(topics) ||
    topics.length === 0 ||
    topics.some(t => typeof t !== 'string' || t.trim() === '')
  ) {
    throw new InputError(
      `${start}: 'topics' of subscriber '${options.id}' must be a non-empty array of non-empty strings, got ${describeValue(topics)}.`,
    );
  }
  if (typeof options.onEvent !== 'function') {
    throw new InputError(
      `${start}: 'onEvent' of subscriber '${options.id}' must be a function, got ${describeValue(options.onEvent)}.`,
    );
  }
}
