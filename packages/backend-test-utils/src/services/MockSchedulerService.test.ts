import { MockSchedulerService } from './MockSchedulerService';

describe('MockSchedulerService', () => {
  it('runs a task only when triggered and waits for it', async () => {
    const scheduler = new MockSchedulerService();
    const runs: string[] = [];
    await scheduler.scheduleTask({
      id: 'refresh',
      frequency: { minutes: 5 },
      timeout: { minutes: 1 },
      fn: async () => {
        runs.push('refresh');
      },
    });
    expect(runs).toEqual([]);
    await scheduler.triggerTask('refresh');
    expect(runs).toEqual(['refresh']);
    await expect(scheduler.getScheduledTasks()).resolves.toEqual([
      {
        id: 'refresh',
        scope: 'global',
        settings: { frequency: { minutes: 5 }, timeout: { minutes: 1 } },
      },
    ]);
  });

  it('rejects an unknown task and a task that is already running', async () => {
    const scheduler = new MockSchedulerService();
    await expect(scheduler.triggerTask('x')).rejects.toThrow(
      "No task 'x' is scheduled; the scheduled tasks are none.",
    );
    let release!: () => void;
    await scheduler
      .createScheduledTaskRunner({
        frequency: { trigger: 'manual' },
        timeout: 'PT1M',
      })
      .run({ id: 'slow', fn: () => new Promise<void>(r => (release = r)) });
    const first = scheduler.triggerTask('slow');
    await expect(scheduler.triggerTask('slow')).rejects.toThrow(
      "Task 'slow' is already running.",
    );
    release();
    await first;
  });

  it('forgets a task once its signal aborts', async () => {
    const scheduler = new MockSchedulerService();
    const controller = new AbortController();
    await scheduler.scheduleTask({
      id: 'gone',
      frequency: { cron: '* * * * *' },
      timeout: { seconds: 5 },
      signal: controller.signal,
      fn: () => {},
    });
    controller.abort();
    await expect(scheduler.getScheduledTasks()).resolves.toEqual([]);
  });

  it('aborts the signal of a running task on cancelTask, and rejects a task that is unknown or idle', async () => {
    const scheduler = new MockSchedulerService();
    await expect(scheduler.cancelTask('x')).rejects.toThrow(
      "No task 'x' is scheduled; the scheduled tasks are none.",
    );
    await scheduler.scheduleTask({
      id: 'long',
      frequency: { trigger: 'manual' },
      timeout: 'PT1M',
      fn: signal =>
        new Promise<void>((_resolve, reject) =>
          signal.addEventListener('abort', () =>
            reject(new Error('stopped by its signal')),
          ),
        ),
    });
    await expect(scheduler.cancelTask('long')).rejects.toThrow(
      "Task 'long' is not running.",
    );
    const run = scheduler.triggerTask('long');
    await scheduler.cancelTask('long');
    await expect(run).rejects.toThrow('stopped by its signal');
  });
});
