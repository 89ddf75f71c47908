/**
 * One event: the topic it is published on, its payload and optional
 * metadata (such as the HTTP headers of a webhook it came from).
 *
 * @public
 */
export interface EventParams<TPayload = unknown> {
  /** The topic the event is published on, such as `github.push`. */
  topic: string;
  /** The event itself; the database-backed service stores it as JSON. */
  eventPayload: TPayload;
  /**
   * Details about the event, such as the headers of the request that
   * carried it.
   * @defaultValue none
   */
  metadata?: Record<string, string | string[] | undefined>;
}

/**
 * Receives the events of the topics a subscriber asked for. A rejection
 * counts as a failed delivery; the implementation logs it with the
 * subscriber id and topic (see the package README for the retry policy).
 *
 * @public
 */
export type EventsServiceEventHandler = (params: EventParams) => Promise<void>;

/**
 * What {@link EventsService.subscribe} takes.
 *
 * @public
 */
export type EventsServiceSubscribeOptions = {
  /**
   * The subscriber's id within the calling plugin. Subscribers that share
   * an id form one consumer group: each event reaches one of them, also
   * across replicas of the backend.
   */
  id: string;
  /** The topics to receive events of. */
  topics: string[];
  /** Called with each event of one of the topics. */
  onEvent: EventsServiceEventHandler;
};

/**
 * Lets plugins and modules talk without knowing each other: one publishes
 * an event on a topic, and every subscriber of that topic receives it.
 *
 * @public
 */
export interface EventsService {
  /** Publishes an event to the subscribers of its topic. */
  publish(params: EventParams): Promise<void>;
  /** Registers a subscriber for one or more topics. */
  subscribe(options: EventsServiceSubscribeOptions): Promise<void>;
}

/**
 * The response header in which Backstage's event bus API tells a polling
 * client how long it holds a request open before answering.
 *
 * @public
 */
export const EVENTS_NOTIFY_TIMEOUT_HEADER = 'backstage-events-notify-timeout';
