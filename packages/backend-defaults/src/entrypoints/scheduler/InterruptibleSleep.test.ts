import { InterruptibleSleep } from './InterruptibleSleep';

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
