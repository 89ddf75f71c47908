import type {
  AuditorService,
  AuditorServiceCreateEventOptions,
  AuditorServiceEvent,
} from '@plinth/backend-plugin-api';
import { toError, type JsonObject } from '@plinth/errors';
import type { Request, Response } from 'express';

/** What a route's audit event is, from its request. */
export type RouteAudit = Omit<AuditorServiceCreateEventOptions, 'request'>;

/**
 * The audit event a handler may finish itself, as `POST /validate-entity`
 * does for failures it answers rather than throws.
 */
export interface RouteAuditEvent {
  fail(options: { error: unknown; meta?: JsonObject }): Promise<void>;
  /**
   * Records the permission decision the route acted on; the event's meta
   * carries it as `permission: { name, result }`, whether the route then
   * succeeds or fails.
   */
  recordDecision(decision: { permission: string; result: string }): void;
}

/**
 * Wraps a route handler in a Backstage audit event: the event starts
 * (`initiated`) before the request is read, succeeds with the meta the
 * handler returns, and fails with the error it throws, which is thrown on
 * to the error handler. Events and their meta follow Backstage's catalog,
 * so audit queries written for it find Plinth's; the permission decision
 * the handler records is added as `meta.permission`.
 *
 * @internal
 */
export function auditRoute(
  auditor: AuditorService,
  describe: (req: Request) => RouteAudit,
  handler: (
    req: Request,
    res: Response,
    event: RouteAuditEvent,
  ) => Promise<JsonObject | void>,
): (req: Request, res: Response) => Promise<void> {
  return async (req, res) => {
    const event = await auditor.createEvent({ ...describe(req), request: req });
    const once = settleOnce(event);
    let decision: JsonObject | undefined;
    const withDecision = (meta?: JsonObject | void) =>
      decision ? { meta: { ...meta, permission: decision } } : meta ? { meta } : undefined;
    try {
      const meta = await handler(req, res, {
        fail: ({ error, meta: failMeta }) =>
          once.fail({ error: toError(error), ...withDecision(failMeta) }),
        recordDecision: ({ permission, result }) => {
          decision = { name: permission, result };
        },
      });
      await once.success(withDecision(meta));
    } catch (error) {
      await once.fail({ error: toError(error), ...withDecision() });
      throw error;
    }
  };
}

/** An event that records only the first way it ended. */
function settleOnce(event: AuditorServiceEvent): AuditorServiceEvent {
  let settled = false;
  return {
    async success(options) {
      if (!settled) {
        settled = true;
        await event.success(options);
      }
    },
    async fail(options) {
      if (!settled) {
        settled = true;
        await event.fail(options);
      }
    },
  };
}
