import { runWithConcurrency } from './runWithConcurrency';

describe('runWithConcurrency', () => {
  it('keeps the order of the results and never exceeds the limit', async () => {
    let running = 0;
    let peak = 0;
    const results = await runWithConcurrency(
      [30, 10, 20, 5, 15],
      2,
      async ms => {
        running += 1;
        peak = Math.max(peak, running);
        await new Promise(resolve => setTimeout(resolve, ms));
        running -= 1;
        return ms * 2;
      },
    );

    expect(results).toEqual([60, 20, 40, 10, 30]);
    expect(peak).toBe(2);
  });

  it('rejects with the first failure', async () => {
    await expect(
      runWithConcurrency([1, 2], 2, async n => {
        if (n === 2) {
          throw new Error('two');
        }
        return n;
      }),
    ).rejects.toThrow('two');
  });
});
