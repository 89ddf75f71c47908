import { MockLoggerService } from '@plinth/backend-test-utils';
import { LifecycleHooks } from './LifecycleHooks';

describe('LifecycleHooks', () => {
  it('runs the hooks of one phase concurrently and waits for all of them', async () => {
    const hooks = LifecycleHooks.create({ owner: "plugin 'todo'" });
    const events: string[] = [];
    let release!: () => void;
    hooks.addStartupHook(async () => {
      events.push('slow start');
      await new Promise<void>(resolve => {
        release = resolve;
      });
      events.push('slow end');
    });
    hooks.addStartupHook(() => {
      events.push('fast');
      release();
    });
    await expect(hooks.startup()).resolves.toEqual([]);
    expect(events).toEqual(['slow start', 'fast', 'slow end']);
  });

  it('returns the failures, names each hook and logs them to the owner logger', async () => {
    const logger = MockLoggerService.create();
    const hooks = LifecycleHooks.create({ owner: "plugin 'todo'", logger });
    hooks.addShutdownHook(
      () => {
        throw new Error('flush failed');
      },
      { name: 'flush queue' },
    );
    hooks.addShutdownHook(() => {});
    const failures = await hooks.shutdown();
    expect(failures.map(f => f.message)).toEqual([
      "The shutdown hook 'flush queue' of plugin 'todo' failed.",
    ]);
    expect(logger.messages('error')).toEqual([
      "The shutdown hook 'flush queue' of plugin 'todo' failed.",
    ]);
  });

  it('names an unnamed hook by its position and where it was added', async () => {
    const hooks = LifecycleHooks.create({ owner: 'the root' });
    hooks.addBeforeShutdownHook(() => {
      throw new Error('x');
    });
    const [failure] = await hooks.beforeShutdown();
    expect(failure.message).toMatch(
      /^The before-shutdown hook #1 \(added at packages\/backend-app-api\/src\/wiring\/LifecycleHooks\.test\.ts:\d+:\d+\) of the root failed\.$/,
    );
  });

  it('logs to the logger a hook names instead of the owner logger', async () => {
    const ownerLogger = MockLoggerService.create();
    const hookLogger = MockLoggerService.create();
    const hooks = LifecycleHooks.create({
      owner: 'the root',
      logger: ownerLogger,
    });
    hooks.addStartupHook(
      () => {
        throw new Error('x');
      },
      { name: 'warm', logger: hookLogger },
    );
    await hooks.startup();
    expect(ownerLogger.lines).toEqual([]);
    expect(hookLogger.messages('error')).toEqual([
      "The startup hook 'warm' of the root failed.",
    ]);
  });

  it('runs each phase once', async () => {
    const hooks = LifecycleHooks.create({ owner: 'the root' });
    const hook = jest.fn();
    hooks.addShutdownHook(hook);
    await hooks.shutdown();
    await hooks.shutdown();
    expect(hook).toHaveBeenCalledTimes(1);
  });

  it('refuses a hook for a phase that already ran', async () => {
    const hooks = LifecycleHooks.create({ owner: "plugin 'todo'" });
    await hooks.startup();
    expect(() => hooks.addStartupHook(() => {})).toThrow(
      "The startup hooks of plugin 'todo' have already run, so a new startup hook would never run; add hooks during init.",
    );
    expect(() => hooks.addStartupHook(() => {})).toThrow(
      expect.objectContaining({
        name: 'BackendStateError',
        code: 'LIFECYCLE_HOOK_TOO_LATE',
      }),
    );
  });

  it('refuses a hook that is not a function', () => {
    const hooks = LifecycleHooks.create({ owner: "plugin 'todo'" });
    expect(() => hooks.addShutdownHook('close' as never)).toThrow(
      "The shutdown hook added by plugin 'todo' is the string 'close', not a function; pass the function to run.",
    );
  });

  it("can be driven as Backstage's engine drives a lifecycle: each phase resolves once its hooks ran, and never rejects", async () => {
    const logger = MockLoggerService.create();
    const hooks = LifecycleHooks.create({ owner: 'the root', logger });
    const events: string[] = [];
    hooks.addStartupHook(() => {
      throw new Error('warm-up failed');
    });
    hooks.addBeforeShutdownHook(() => {
      events.push('before-shutdown');
    });
    hooks.addShutdownHook(async () => {
      await Promise.resolve();
      events.push('shutdown');
    });
    // Backstage's engine awaits each method and ignores what it resolves to.
    await hooks.startup();
    await hooks.beforeShutdown();
    await hooks.shutdown();
    expect(events).toEqual(['before-shutdown', 'shutdown']);
    expect(logger.messages('error')).toEqual([
      expect.stringMatching(
        /^The startup hook #1 \(added at .+\) of the root failed\.$/,
      ),
    ]);
  });
});
