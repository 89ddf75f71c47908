import { MockLoggerService } from '@plinth/backend-test-utils';
import { runTask, type RunTaskOptions } from './runTask';
import { TaskAbortedError } from './TaskAbortedError';

function options(overrides: Partial<RunTaskOptions>): RunTaskOptions {
  return {
    taskId: 'refresh',
    pluginId: 'catalog',
    fn: async () => {},
    timeoutMs: 1000,
    timeout: 'PT1S',
    shutdownSignal: new AbortController().signal,
    logger: MockLoggerService.create(),
    ...overrides,
  };
}

/** A task that waits for its signal and reports the reason. */
function waitForAbort() {
  let seen: unknown;
  const fn = (signal: AbortSignal) =>
    new Promise<void>(resolve => {
      signal.addEventListener('abort', () => {
        seen = signal.reason;
        resolve();
      });
    });
  return { fn, reason: () => seen as TaskAbortedError };
}

describe('runTask', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('aborts the signal with a timeout reason when the run passes its timeout', async () => {
    jest.useFakeTimers();
    const logger = MockLoggerService.create();
    const task = waitForAbort();
    const run = runTask(options({ fn: task.fn, logger }));
    await jest.advanceTimersByTimeAsync(1000);
    await run;
    const message =
      "Task 'refresh' of plugin 'catalog' ran longer than its timeout 'PT1S', so its signal was aborted. Make the task stop when its signal aborts, and raise the timeout if the work needs longer.";
    expect(task.reason()).toMatchObject({
      name: 'TaskAbortedError',
      kind: 'timeout',
      message,
    });
    expect(logger.messages('warn')).toEqual([message]);
  });

  it('aborts the signal with a cancellation reason when the schedule is cancelled', async () => {
    const cancel = new AbortController();
    const task = waitForAbort();
    const run = runTask(options({ fn: task.fn, cancelSignal: cancel.signal }));
    cancel.abort();
    await run;
    expect(task.reason()).toMatchObject({
      kind: 'cancelled',
      message:
        "Task 'refresh' of plugin 'catalog' was cancelled through the signal passed to scheduleTask, so its run was aborted. Schedule it again to resume it.",
    });
  });

  it('aborts the signal with a shutdown reason when the plugin shuts down', async () => {
    const shutdown = new AbortController();
    const task = waitForAbort();
    const run = runTask(
      options({ fn: task.fn, shutdownSignal: shutdown.signal }),
    );
    shutdown.abort();
    await run;
    expect(task.reason()).toMatchObject({
      kind: 'shutdown',
      message:
        "Task 'refresh' of plugin 'catalog' was aborted because the plugin is shutting down. It runs again at its next time after the backend restarts.",
    });
  });

  it('logs no timeout for a run already aborted for shutdown', async () => {
    jest.useFakeTimers();
    const logger = MockLoggerService.create();
    const shutdown = new AbortController();
    const run = runTask(
      options({
        logger,
        shutdownSignal: shutdown.signal,
        fn: () => new Promise<void>(() => {}),
      }),
    );
    shutdown.abort();
    await jest.advanceTimersByTimeAsync(1000);
    expect(logger.lines).toEqual([]);
    void run;
  });

  it('logs a failing run with the task id and resolves', async () => {
    const logger = MockLoggerService.create();
    const failure = new Error('upstream returned 502');
    await runTask(
      options({
        logger,
        fn: async () => {
          throw failure;
        },
      }),
    );
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message:
          "Task 'refresh' of plugin 'catalog' failed; it stays scheduled and runs again at its next time. Fix the error below to make the runs succeed.",
        fields: {},
        meta: failure,
      },
    ]);
  });

  it('logs an error thrown after a shutdown abort at info level', async () => {
    const logger = MockLoggerService.create();
    const shutdown = new AbortController();
    const run = runTask(
      options({
        logger,
        shutdownSignal: shutdown.signal,
        fn: signal =>
          new Promise((_, reject) => {
            signal.addEventListener('abort', () =>
              reject(new Error('aborted')),
            );
          }),
      }),
    );
    shutdown.abort();
    await run;
    expect(logger.messages('error')).toEqual([]);
    expect(logger.messages('info')).toEqual([
      "Task 'refresh' of plugin 'catalog' stopped with an error after its signal aborted (shutdown).",
    ]);
  });

  it('stops listening to the signals once the run ends', async () => {
    const shutdown = new AbortController();
    let signal: AbortSignal | undefined;
    await runTask(
      options({
        shutdownSignal: shutdown.signal,
        fn: s => {
          signal = s;
        },
      }),
    );
    shutdown.abort();
    expect(signal?.aborted).toBe(false);
  });
});

describe('TaskAbortedError', () => {
  it('is a typed error with its kind', () => {
    const error = TaskAbortedError.timedOut('refresh', 'catalog', 'PT1S');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('TaskAbortedError');
    expect(error.kind).toBe('timeout');
  });
});
