import { EventEmitter } from 'node:events';
import type { Request, Response } from 'express';
import type { EntityHistory } from './EntityHistory';
import type { EntityChange } from './historyRows';
import { StreamSlots, streamChanges, streamEndTime } from './streamChanges';

const change = (n: number) =>
  ({ cursor: `1-${n}`, type: 'created', entityUid: `e${n}` }) as EntityChange;

/** A response whose socket buffer is always full, as for a client that does not read. */
function fullResponse() {
  const res = new EventEmitter() as EventEmitter & Record<string, unknown>;
  const written: string[] = [];
  Object.assign(res, {
    destroyed: false,
    status: () => res,
    setHeader: () => undefined,
    flushHeaders: () => undefined,
    write: (text: string) => {
      written.push(text);
      return false;
    },
    end: () => undefined,
  });
  return { res: res as unknown as Response, written, emitter: res };
}

const tick = () => new Promise(resolve => setImmediate(resolve));

describe('streamChanges', () => {
  it('writes no further event to a slow client until its buffer drained', async () => {
    const history = {
      config: { pollIntervalMs: 1000, maxPageSize: 10, heartbeatMs: 60_000 },
      logger: { warn: () => undefined },
      notifier: {
        stopped: false,
        waitForChange: () => new Promise(() => undefined),
      },
      reader: {
        readChanges: async () => ({
          items: [change(1), change(2), change(3)],
          nextCursor: '1-3',
          more: false,
        }),
      },
    } as unknown as EntityHistory;
    const { res, written, emitter } = fullResponse();
    const done = streamChanges(
      { get: () => undefined } as unknown as Request,
      res,
      {
        history,
        readable: () => true,
        after: undefined,
        slots: new StreamSlots(1),
        endAt: Date.now() + 60_000,
      },
    );
    await tick();
    // The retry line, then the first event, whose write found the buffer full.
    expect(written).toHaveLength(2);
    expect(written[1]).toContain('id: 1-1');

    emitter.emit('drain');
    await tick();
    expect(written).toHaveLength(3);
    expect(written[2]).toContain('id: 1-2');

    emitter.emit('close');
    await done;
    expect(written).toHaveLength(3);
  });

  it('ends a stream at its end time, so the client reconnects for a fresh read decision', async () => {
    const history = {
      config: { pollIntervalMs: 1000, maxPageSize: 10, heartbeatMs: 60_000 },
      logger: { warn: () => undefined },
      notifier: {
        stopped: false,
        waitForChange: (_after: unknown, timeoutMs: number) =>
          new Promise(resolve => setTimeout(() => resolve(false), timeoutMs)),
      },
      reader: {
        readChanges: async () => ({ items: [], nextCursor: null, more: false }),
      },
    } as unknown as EntityHistory;
    const { res, emitter } = fullResponse();
    let ended = false;
    Object.assign(res, {
      write: () => true,
      end: () => {
        ended = true;
      },
    });
    await streamChanges({ get: () => undefined } as unknown as Request, res, {
      history,
      readable: () => true,
      after: undefined,
      slots: new StreamSlots(1),
      endAt: Date.now() + 100,
    });
    expect(ended).toBe(true);
    emitter.emit('close');
  });

  it('ends streams after ten minutes, or sooner when the token expires', () => {
    const now = Date.now();
    expect(streamEndTime({ principal: {} } as never)).toBeGreaterThanOrEqual(
      now + 10 * 60_000,
    );
    const expiresAt = new Date(now + 60_000);
    expect(streamEndTime({ principal: {}, expiresAt } as never)).toBe(
      expiresAt.getTime(),
    );
  });
});
