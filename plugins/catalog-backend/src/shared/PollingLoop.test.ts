import { MockLoggerService } from '@plinth/backend-test-utils';
import { PollingLoop } from './PollingLoop';

describe('PollingLoop', () => {
  it('runs again at once while there is work and waits when there is none', async () => {
    const logger = MockLoggerService.create();
    const work = [3, 2, 0, 1];
    const calls: number[] = [];
    let idle: () => void = () => {};
    const reachedIdle = new Promise<void>(resolve => (idle = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger,
      pollIntervalMs: 60_000,
      runOnce: async () => {
        const done = work.shift() ?? 0;
        calls.push(done);
        if (done === 0) {
          idle();
        }
        return done;
      },
    });

    loop.start();
    loop.start();
    await reachedIdle;
    // The long poll interval applies only after the round that found nothing.
    await new Promise(resolve => setTimeout(resolve, 20));
    await loop.stop();

    expect(calls).toEqual([3, 2, 0]);
  });

  it('waits after a round that did less than a full batch, unless woken', async () => {
    const logger = MockLoggerService.create();
    const work = [5, 5, 2, 5, 1];
    const calls: number[] = [];
    let partial: () => void = () => {};
    let reachedPartial = new Promise<void>(resolve => (partial = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger,
      pollIntervalMs: 60_000,
      batchSize: 5,
      runOnce: async () => {
        const done = work.shift() ?? 0;
        calls.push(done);
        if (done < 5) {
          partial();
        }
        return done;
      },
    });

    loop.start();
    await reachedPartial;
    await new Promise(resolve => setTimeout(resolve, 20));
    expect(calls).toEqual([5, 5, 2]);

    reachedPartial = new Promise<void>(resolve => (partial = resolve));
    loop.wake();
    await reachedPartial;
    await new Promise(resolve => setTimeout(resolve, 20));
    await loop.stop();

    expect(calls).toEqual([5, 5, 2, 5, 1]);
  });

  it('logs a failing round and carries on', async () => {
    const logger = MockLoggerService.create();
    let rounds = 0;
    let second: () => void = () => {};
    const reachedSecond = new Promise<void>(resolve => (second = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger,
      pollIntervalMs: 1,
      runOnce: async () => {
        rounds += 1;
        if (rounds === 1) {
          throw new Error('database down');
        }
        second();
        return 0;
      },
    });

    loop.start();
    await reachedSecond;
    await loop.stop();

    expect(logger.messages('error')).toEqual([
      'A round of test work failed (1 in a row); retrying with a growing delay.',
    ]);
  });

  it('waits for the round in progress when stopped', async () => {
    let release: () => void = () => {};
    let finished = false;
    let started: () => void = () => {};
    const running = new Promise<void>(resolve => (started = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger: MockLoggerService.create(),
      pollIntervalMs: 1,
      runOnce: async () => {
        started();
        await new Promise<void>(resolve => (release = resolve));
        finished = true;
        return 0;
      },
    });

    loop.start();
    await running;
    const stopping = loop.stop();
    release();
    await stopping;

    expect(finished).toBe(true);
  });

  it('runs the next round at once when woken while it waits', async () => {
    let rounds = 0;
    let firstIdle: () => void = () => {};
    const idle = new Promise<void>(resolve => (firstIdle = resolve));
    let secondRound: () => void = () => {};
    const woken = new Promise<void>(resolve => (secondRound = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger: MockLoggerService.create(),
      pollIntervalMs: 60_000,
      runOnce: async () => {
        rounds += 1;
        if (rounds === 1) {
          firstIdle();
        } else {
          secondRound();
        }
        return 0;
      },
    });

    loop.start();
    await idle;
    loop.wake();
    await woken;
    await loop.stop();

    expect(rounds).toBe(2);
  });

  it('skips the wait after a round during which it was woken', async () => {
    let rounds = 0;
    let secondRound: () => void = () => {};
    const woken = new Promise<void>(resolve => (secondRound = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger: MockLoggerService.create(),
      pollIntervalMs: 60_000,
      runOnce: async () => {
        rounds += 1;
        if (rounds === 1) {
          loop.wake();
        } else {
          secondRound();
        }
        return 0;
      },
    });

    loop.start();
    await woken;
    await loop.stop();

    expect(rounds).toBe(2);
  });

  it('keeps the growing delay after a failure when woken', async () => {
    let rounds = 0;
    let failed: () => void = () => {};
    const firstFailure = new Promise<void>(resolve => (failed = resolve));
    const loop = new PollingLoop({
      description: 'test work',
      logger: MockLoggerService.create(),
      pollIntervalMs: 60_000,
      runOnce: async () => {
        rounds += 1;
        failed();
        throw new Error('database down');
      },
    });

    loop.start();
    await firstFailure;
    await new Promise(resolve => setTimeout(resolve, 0));
    loop.wake();
    await new Promise(resolve => setTimeout(resolve, 20));
    await loop.stop();

    expect(rounds).toBe(1);
  });
});
