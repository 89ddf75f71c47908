import { MockLoggerService } from '@plinth/backend-test-utils';
import { RuntimeServiceError } from '../../errors';
import { TaskMetrics } from './TaskMetrics';
import {
  InterruptibleSleep,
  runTask,
  taskAbortReasons,
  type RunTaskOptions,
} from './TaskWorker';

function options(overrides: Partial<RunTaskOptions>): RunTaskOptions {
  return {
    taskId: 'refresh',
    pluginId: 'catalog',
    fn: async () => {},
    timeoutMs: 1000,
    timeout: 'PT1S',
    shutdownSignal: new AbortController().signal,
    context: {},
    logger: MockLoggerService.create(),
    metrics: new TaskMetrics(),
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
  return { fn, reason: () => seen as RuntimeServiceError };
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
      name: 'RuntimeServiceError',
      code: 'SCHEDULER_TASK_TIMED_OUT',
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
      name: 'RuntimeServiceError',
      code: 'SCHEDULER_TASK_CANCELLED',
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
      name: 'RuntimeServiceError',
      code: 'SCHEDULER_TASK_SHUT_DOWN',
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

describe('taskAbortReasons', () => {
  it('gives a runtime service error with the code of the reason', () => {
    const error = taskAbortReasons.timedOut('refresh', 'catalog', 'PT1S');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(RuntimeServiceError);
    expect(error.name).toBe('RuntimeServiceError');
    expect(error.code).toBe('SCHEDULER_TASK_TIMED_OUT');
    expect(taskAbortReasons.cancelled('refresh', 'catalog').code).toBe(
      'SCHEDULER_TASK_CANCELLED',
    );
    expect(taskAbortReasons.shutDown('refresh', 'catalog').code).toBe(
      'SCHEDULER_TASK_SHUT_DOWN',
    );
  });
});

describe('InterruptibleSleep', () => {
  afterEach(() => {
    jest.useRealTimers();
  });

  it('returns elapsed once the time is up', async () => {
    jest.useFakeTimers();
    const sleep = new InterruptibleSleep();
    const outcome = sleep.sleep(1000, new AbortController().signal);
    await jest.advanceTimersByTimeAsync(1000);
    await expect(outcome).resolves.toBe('elapsed');
  });

  it('returns woken when woken during the sleep', async () => {
    const sleep = new InterruptibleSleep();
    const outcome = sleep.sleep(Infinity, new AbortController().signal);
    sleep.wake();
    await expect(outcome).resolves.toBe('woken');
  });

  it('keeps a wake that comes before the sleep', async () => {
    const sleep = new InterruptibleSleep();
    sleep.wake();
    await expect(
      sleep.sleep(Infinity, new AbortController().signal),
    ).resolves.toBe('woken');
  });

  it('returns aborted when the signal aborts, before or during the sleep', async () => {
    const sleep = new InterruptibleSleep();
    const controller = new AbortController();
    const outcome = sleep.sleep(Infinity, controller.signal);
    controller.abort();
    await expect(outcome).resolves.toBe('aborted');
    await expect(sleep.sleep(10, controller.signal)).resolves.toBe('aborted');
  });

  it('sleeps past the longest delay a single timer can count', async () => {
    jest.useFakeTimers();
    const sleep = new InterruptibleSleep();
    let outcome: string | undefined;
    void sleep
      .sleep(2 ** 31 + 1000, new AbortController().signal)
      .then(o => (outcome = o));
    await jest.advanceTimersByTimeAsync(2 ** 31 - 1);
    expect(outcome).toBeUndefined();
    await jest.advanceTimersByTimeAsync(1001);
    expect(outcome).toBe('elapsed');
  });
});
