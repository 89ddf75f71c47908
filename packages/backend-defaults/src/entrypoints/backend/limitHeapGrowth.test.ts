import { execFileSync } from 'node:child_process';
import { ConfigError } from '../../errors';
import { heapGrowthVariable, limitHeapGrowth } from './limitHeapGrowth';

describe('limitHeapGrowth', () => {
  const flagsSetWith = (value?: string) => {
    const setFlags = jest.fn<void, [string]>();
    limitHeapGrowth({ [heapGrowthVariable]: value }, setFlags);
    return setFlags.mock.calls;
  };

  it('lets the heap grow by half between full collections when the variable is unset or empty', () => {
    expect(flagsSetWith(undefined)).toEqual([['--heap-growing-percent=50']]);
    expect(flagsSetWith(' ')).toEqual([['--heap-growing-percent=50']]);
  });

  it('takes the share from PLINTH_HEAP_GROWTH_PERCENT, 0 handing the choice back to V8', () => {
    expect(flagsSetWith('25')).toEqual([['--heap-growing-percent=25']]);
    expect(flagsSetWith('300')).toEqual([['--heap-growing-percent=300']]);
    expect(flagsSetWith('0')).toEqual([['--heap-growing-percent=0']]);
  });

  it.each(['fifty', '-5', '12.5', '301', '1e2', '50%'])(
    'refuses %p, naming the variable and the values it takes, and sets nothing',
    value => {
      const setFlags = jest.fn();
      let error: unknown;
      try {
        limitHeapGrowth({ [heapGrowthVariable]: value }, setFlags);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      expect(error).toMatchObject({
        code: 'CONFIG_HEAP_GROWTH_INVALID',
        source: heapGrowthVariable,
        message: expect.stringContaining(
          `'${value}' in the PLINTH_HEAP_GROWTH_PERCENT environment variable: use a whole number of percent from 0 to 300`,
        ),
      });
      expect(setFlags).not.toHaveBeenCalled();
    },
  );

  // The flag is set after V8 started; this proves V8 still reads it. The
  // child keeps 24 MB and churns objects that live long enough to reach
  // the old generation, as requests in flight do, and reports the largest
  // heap it saw.
  it('keeps the heap of a running process closer to what it holds', () => {
    const peakHeapMiB = (growth: string) => {
      const script = `
        require(${JSON.stringify(require.resolve('sucrase/register/ts'))});
        const { limitHeapGrowth } = require(${JSON.stringify(require.resolve('./limitHeapGrowth'))});
        limitHeapGrowth({ ${heapGrowthVariable}: ${JSON.stringify(growth)} });
        const kept = [];
        for (let i = 0; i < 30000; i++) kept.push('k'.repeat(800) + i);
        const ring = new Array(40);
        let peak = 0;
        for (let round = 0; round < 2000; round++) {
          const batch = [];
          for (let i = 0; i < 1000; i++) batch.push({ text: 'r'.repeat(100) + i + round, at: [i, round] });
          ring[round % ring.length] = batch;
          if (round % 10 === 0) peak = Math.max(peak, process.memoryUsage().heapTotal);
        }
        process.stdout.write(String(peak / 2 ** 20) + ' ' + kept.length);
      `;
      const output = execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });
      return Number(output.split(' ')[0]);
    };

    const bounded = peakHeapMiB('20');
    const v8Choice = peakHeapMiB('0');

    expect(bounded).toBeLessThan(v8Choice * 0.8);
  });
});
