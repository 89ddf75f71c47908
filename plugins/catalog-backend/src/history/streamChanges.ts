import type { BackstageCredentials } from '@plinth/backend-plugin-api';
import { ServiceUnavailableError } from '@plinth/errors';
import type { Request, Response } from 'express';
import type { EntityHistory } from './EntityHistory';
import { parseCursor, type FeedPosition } from './historyRows';
import type { ReadableCheck } from './HistoryReader';

/** Counts the open streams of this process, for `catalog.history.maxStreams`. */
export class StreamSlots {
  readonly #max: number;
  #open = 0;

  constructor(max: number) {
    this.#max = max;
  }

  /**
   * Takes a slot for a new stream.
   * @throws ServiceUnavailableError when all are taken.
   */
  take(): () => void {
    if (this.#open >= this.#max) {
      throw new ServiceUnavailableError(
        `This catalog instance already serves ${this.#max} change streams, the most 'catalog.history.maxStreams' allows. Retry later, use long polling with GET /changes?wait=, or raise the limit.`,
      );
    }
    this.#open += 1;
    let released = false;
    return () => {
      if (!released) {
        released = true;
        this.#open -= 1;
      }
    };
  }
}

/** The longest a stream keeps the read decision taken when it connected. */
export const maxStreamMs = 10 * 60_000;

/**
 * When a stream opened now ends: after `maxStreamMs`, or when the
 * caller's token expires, if that is sooner and known.
 */
export function streamEndTime(credentials: BackstageCredentials): number {
  const end = Date.now() + maxStreamMs;
  const expiresAt = credentials.expiresAt?.getTime();
  return expiresAt === undefined ? end : Math.min(end, expiresAt);
}

/**
 * Serves the change feed as Server-Sent Events: each change is an event
 * `change` whose `id` is its cursor, so a client that reconnects with
 * `Last-Event-ID` (or `after`) goes on where it stopped; a comment goes
 * out every heartbeat interval while nothing changes, so proxies keep the
 * connection open. The stream ends when the client leaves, the backend
 * shuts down, or at `endAt`: the caller's read decision is taken once,
 * when it connects, so the stream lasts no longer than that decision
 * should (see {@link streamEndTime}); the client then reconnects with
 * `Last-Event-ID` and gets a fresh decision.
 */
export async function streamChanges(
  req: Request,
  res: Response,
  options: {
    history: EntityHistory;
    readable: ReadableCheck;
    after: FeedPosition | undefined;
    slots: StreamSlots;
    /** When to end the stream, in ms since the epoch. */
    endAt: number;
  },
): Promise<void> {
  const { history, readable, slots } = options;
  const lastEventId = req.get('last-event-id');
  let after = lastEventId
    ? parseCursor(lastEventId, "header 'Last-Event-ID'")
    : options.after;
  // Fails before the headers go out, so the caller gets a status, not a stream.
  await history.reader.readChanges(readable, after, 1);
  const release = slots.take();
  let closed = false;
  const left = new AbortController();
  res.on('close', () => {
    closed = true;
    release();
    left.abort();
  });
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  res.write(`retry: ${history.config.pollIntervalMs}\n\n`);
  try {
    while (!closed && !history.notifier.stopped && Date.now() < options.endAt) {
      const page = await history.reader.readChanges(
        readable,
        after,
        history.config.maxPageSize,
      );
      for (const item of page.items) {
        if (
          !(await send(
            res,
            `id: ${item.cursor}\nevent: change\ndata: ${JSON.stringify(item)}\n\n`,
          ))
        ) {
          return;
        }
      }
      after = page.nextCursor
        ? parseCursor(page.nextCursor, 'the next cursor')
        : after;
      if (!page.more && !closed) {
        const changed = await history.notifier.waitForChange(
          after,
          Math.min(history.config.heartbeatMs, options.endAt - Date.now()),
          left.signal,
        );
        if (
          !changed &&
          !closed &&
          !history.notifier.stopped &&
          Date.now() < options.endAt
        ) {
          await send(res, ': heartbeat\n\n');
        }
      }
    }
  } catch (error) {
    // The status went out with the headers; all that is left is to end.
    history.logger.warn(
      'A catalog change stream ended on an error; its client reconnects with Last-Event-ID.',
      error as Error,
    );
  } finally {
    release();
    res.end();
  }
}

/**
 * Writes to the stream and, when the socket's buffer is full, waits until
 * it drains, so a slow client holds back its own stream instead of making
 * the server buffer without bound.
 *
 * @returns false when the client left before the buffer drained.
 */
async function send(res: Response, text: string): Promise<boolean> {
  if (res.destroyed) {
    return false;
  }
  if (res.write(text)) {
    return true;
  }
  return new Promise(resolve => {
    const finish = (drained: boolean) => {
      res.off('drain', onDrain);
      res.off('close', onClose);
      resolve(drained);
    };
    const onDrain = () => finish(true);
    const onClose = () => finish(false);
    res.on('drain', onDrain);
    res.on('close', onClose);
  });
}
