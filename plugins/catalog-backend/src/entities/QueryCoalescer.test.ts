import { QueryCoalescer } from './QueryCoalescer';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('QueryCoalescer', () => {
  it('gives queries of one key that overlap the result of a single run', async () => {
    const coalescer = new QueryCoalescer();
    const result = deferred<string>();
    const query = jest.fn(() => result.promise);
    const first = coalescer.run('a', query);
    const second = coalescer.run('a', query);
    const other = coalescer.run('b', async () => 'other');
    result.resolve('shared');
    await expect(Promise.all([first, second, other])).resolves.toEqual([
      'shared',
      'shared',
      'other',
    ]);
    expect(query).toHaveBeenCalledTimes(1);
  });

  it('runs the query again once the previous run has settled, also after a failure', async () => {
    const coalescer = new QueryCoalescer();
    await expect(
      coalescer.run('a', async () => {
        throw new Error('database gone');
      }),
    ).rejects.toThrow('database gone');
    await expect(coalescer.run('a', async () => 'again')).resolves.toBe(
      'again',
    );
    await expect(coalescer.run('a', async () => 'and again')).resolves.toBe(
      'and again',
    );
  });

  it('starts a new run after forgetting the running ones, which still answer their callers', async () => {
    const coalescer = new QueryCoalescer();
    const before = deferred<string>();
    const first = coalescer.run('a', () => before.promise);
    coalescer.forgetRunning();
    const second = coalescer.run('a', async () => 'after the write');
    before.resolve('before the write');
    await expect(first).resolves.toBe('before the write');
    await expect(second).resolves.toBe('after the write');
    await expect(coalescer.run('a', async () => 'later')).resolves.toBe(
      'later',
    );
  });
});
