import type {
  AuditorService,
  HttpAuthService,
} from '@plinth/backend-plugin-api';
import { InputError, NotFoundError } from '@plinth/errors';
import type { Request, Response, Router } from 'express';
import type { EntityHistory } from '../history/EntityHistory';
import {
  isBigint,
  parseCursor,
  type FeedPosition,
} from '../history/historyRows';
import type { ReadableCheck } from '../history/HistoryReader';
import {
  StreamSlots,
  streamChanges,
  streamEndTime,
} from '../history/streamChanges';
import { auditRoute, type RouteAuditEvent } from './auditRoute';
import { parseWaitParam } from './request/parseWaitParam';
import {
  readIntegerParam,
  readQueryParams,
  readStringParam,
} from './request/queryParams';

const known = {
  history: new Set(['limit', 'order', 'cursor']),
  changes: new Set(['after', 'limit', 'wait']),
};
const digits = /^\d{1,19}$/;

/**
 * Adds the history routes: the changes of one entity by uid or by name
 * (which also finds it after its deletion), and `GET /changes`, the feed
 * of every change, as JSON pages, long polls (`wait`) or Server-Sent
 * Events (`Accept: text/event-stream`). Every route reads with the
 * caller's `catalog.entity.read` decision: entries of entities it may not
 * read are left out, and an entity history with none it may read is a
 * 404, as `GET /entities/by-uid/:uid` is.
 *
 * @internal
 */
export function addHistoryRoutes(
  router: Router,
  options: {
    history: EntityHistory;
    httpAuth: HttpAuthService;
    auditor: AuditorService;
  },
): void {
  const { history, httpAuth, auditor } = options;
  const { config } = history;
  const slots = new StreamSlots(config.maxStreams);
  const readable = async (req: Request, event: RouteAuditEvent) =>
    history.reader.readableCheck(await httpAuth.credentials(req), event);
  const pageLimit = (query: Record<string, unknown>) =>
    readIntegerParam(query, 'limit', {
      min: 1,
      max: config.maxPageSize,
      maxSource: 'catalog.history.maxPageSize',
    }) ?? config.defaultPageSize;

  const entityHistory = (
    route: string,
    by: (req: Request) => { entityId: string } | { entityRef: string },
    describe: (req: Request) => string,
  ) =>
    auditRoute(
      auditor,
      req => ({
        eventId: 'entity-fetch',
        meta: { queryType: 'history', entity: describe(req) },
      }),
      async (req, res, event) => {
        const query = readQueryParams(req, known.history, route);
        const cursor = readStringParam(query, 'cursor');
        if (
          cursor !== undefined &&
          !(digits.test(cursor) && isBigint(cursor))
        ) {
          throw new InputError(
            `Invalid query parameter 'cursor' of ${route}: expected the 'nextCursor' of the previous page, got '${cursor.slice(0, 60)}'.`,
          );
        }
        const page = await history.reader.readEntityHistory(
          await readable(req, event),
          {
            by: by(req),
            order: parseOrder(readStringParam(query, 'order'), route),
            afterId: cursor,
            limit: pageLimit(query),
          },
        );
        if (!page) {
          throw new NotFoundError(
            `No history of ${describe(req)} found. It never existed, retention removed its history, or you may not read it; check the uid or ref.`,
          );
        }
        res.status(200).json(page);
      },
    );

  router.get(
    '/entities/by-uid/:uid/history',
    entityHistory(
      'GET /entities/by-uid/:uid/history',
      req => ({ entityId: String(req.params.uid) }),
      req => `the entity with uid '${String(req.params.uid)}'`,
    ),
  );
  router.get(
    '/entities/by-name/:kind/:namespace/:name/history',
    entityHistory(
      'GET /entities/by-name/:kind/:namespace/:name/history',
      req => ({ entityRef: toRef(req).toLowerCase() }),
      req => `entity '${toRef(req)}'`,
    ),
  );

  router.get(
    '/changes',
    auditRoute(
      auditor,
      () => ({ eventId: 'entity-fetch', meta: { queryType: 'changes' } }),
      async (req, res, event) => {
        const query = readQueryParams(req, known.changes, 'GET /changes');
        const afterText = readStringParam(query, 'after');
        const after = afterText
          ? parseCursor(afterText, "query parameter 'after'")
          : undefined;
        const limit = pageLimit(query);
        const waitMs =
          parseWaitParam(readStringParam(query, 'wait'), config.maxWaitMs) ?? 0;
        const credentials = await httpAuth.credentials(req);
        const check = await history.reader.readableCheck(credentials, event);
        const stream =
          req.accepts(['application/json', 'text/event-stream']) ===
          'text/event-stream';
        if (stream || waitMs > 0) {
          try {
            history.notifier.assertRunning();
          } catch (error) {
            res.setHeader('Retry-After', '1');
            throw error;
          }
        }
        if (stream) {
          await streamChanges(req, res, {
            history,
            readable: check,
            after,
            slots,
            endAt: streamEndTime(credentials),
          });
          return;
        }
        await longPoll(res, { history, check, after, limit, waitMs });
      },
    ),
  );
}

/**
 * Answers with the changes after `after`; with none yet, waits for more
 * until `waitMs` has passed (or the backend stops), then answers anyway.
 */
async function longPoll(
  res: Response,
  options: {
    history: EntityHistory;
    check: ReadableCheck;
    after: FeedPosition | undefined;
    limit: number;
    waitMs: number;
  },
): Promise<void> {
  const { history, check, limit } = options;
  const deadline = Date.now() + options.waitMs;
  const left = new AbortController();
  res.on('close', () => left.abort());
  let after = options.after;
  for (;;) {
    const page = await history.reader.readChanges(check, after, limit);
    const remaining = deadline - Date.now();
    if (page.items.length > 0 || page.more || remaining <= 0) {
      res.status(200).json({ items: page.items, nextCursor: page.nextCursor });
      return;
    }
    after = page.nextCursor ? parseCursor(page.nextCursor, 'cursor') : after;
    if (
      !(await history.notifier.waitForChange(after, remaining, left.signal))
    ) {
      res.status(200).json({ items: [], nextCursor: page.nextCursor });
      return;
    }
  }
}

function toRef(req: Request): string {
  const { kind, namespace, name } = req.params;
  return `${String(kind)}:${String(namespace)}/${String(name)}`;
}

function parseOrder(value: string | undefined, route: string): 'asc' | 'desc' {
  if (value === undefined || value === 'desc' || value === 'asc') {
    return value ?? 'desc';
  }
  throw new InputError(
    `Invalid query parameter 'order' of ${route}: expected one of 'asc', 'desc', got '${value.slice(0, 60)}'.`,
  );
}
