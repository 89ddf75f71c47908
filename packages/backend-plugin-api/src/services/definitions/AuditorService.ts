import type { JsonObject } from '@plinth/errors';
import type { Request } from 'express';

/**
 * How much an audit event matters: `low` for ordinary use, `medium` for
 * writes, `high` for changes to non-root permissions, `critical` for
 * changes to root permissions. Each maps to a log level.
 *
 * @public
 */
export type AuditorServiceEventSeverityLevel =
  'low' | 'medium' | 'high' | 'critical';

/**
 * What an audit event is about.
 *
 * @public
 */
export type AuditorServiceCreateEventOptions = {
  /**
   * A kebab-case name for a kind of operation, such as `entity-fetch`; the
   * plugin id is added to it, so leave it out. Variants go in
   * `meta.queryType`, such as `by-id`.
   */
  eventId: string;
  /**
   * How much the event matters.
   * @defaultValue `'low'`
   */
  severityLevel?: AuditorServiceEventSeverityLevel;
  /** The request the operation serves, which names the actor. */
  // Any route's request, whatever its params, body and query types.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  request?: Request<any, any, any, any, any>;
  /** Details of the event, such as the entity ref acted on. */
  meta?: JsonObject;
};

/**
 * An audit event that has started; report how it ended, once.
 *
 * @public
 */
export type AuditorServiceEvent = {
  /** Records that the operation succeeded; `meta` is merged into the event's. */
  success(options?: { meta?: JsonObject }): Promise<void>;
  /** Records that the operation failed, with the error. */
  fail(options: { meta?: JsonObject; error: Error }): Promise<void>;
};

/**
 * Records who did what in a plugin: each event is written when it starts
 * and again when it succeeds or fails.
 *
 * @public
 */
export interface AuditorService {
  /**
   * Records that an operation started and returns the event to finish.
   * @throws when the request's credentials cannot be read.
   */
  createEvent(
    options: AuditorServiceCreateEventOptions,
  ): Promise<AuditorServiceEvent>;
}
