import { setImmediate as nextTurn } from 'node:timers/promises';
import { ScopedAsyncStorage } from './ScopedAsyncStorage';

describe('ScopedAsyncStorage', () => {
  it('gives everything a scope starts its store while the scope is open', async () => {
    const storage = new ScopedAsyncStorage<string>();
    const seen: Array<string | undefined> = [];
    await storage.run('a', async () => {
      await nextTurn();
      seen.push(storage.getStore());
      await Promise.all([
        (async () => {
          await nextTurn();
          seen.push(storage.getStore());
        })(),
      ]);
    });
    expect(seen).toEqual(['a', 'a']);
    expect(storage.getStore()).toBeUndefined();
  });

  it('keeps a scope opened with open() until it is closed', async () => {
    const storage = new ScopedAsyncStorage<string>();
    let later!: Promise<string | undefined>;
    let close!: () => void;
    storage.open('request', closeScope => {
      close = closeScope;
      later = nextTurn().then(() => storage.getStore());
    });
    await expect(later).resolves.toBe('request');
    close();
    close();
    let afterClose!: Promise<string | undefined>;
    storage.open('closed', closeScope => {
      closeScope();
      afterClose = nextTurn().then(() => storage.getStore());
    });
    await expect(afterClose).resolves.toBeUndefined();
  });

  it('switches the storage off once the last open scope closes', async () => {
    const storage = new ScopedAsyncStorage<string>();
    const gate = () => {
      let open!: () => void;
      const opened = new Promise<void>(resolve => {
        open = resolve;
      });
      return { open, opened };
    };
    const first = gate();
    const second = gate();
    // Each scope starts a read it does not wait for.
    let firstRead!: Promise<string | undefined>;
    let closeFirst!: () => void;
    storage.open('first', close => {
      closeFirst = close;
      firstRead = first.opened.then(() => storage.getStore());
    });
    let secondRead!: Promise<string | undefined>;
    let closeSecond!: () => void;
    storage.open('second', close => {
      closeSecond = close;
      secondRead = second.opened.then(() => storage.getStore());
    });

    closeFirst();
    first.open();
    // The second scope is still open, so the storage is still on.
    await expect(firstRead).resolves.toBe('first');

    closeSecond();
    second.open();
    // A plain AsyncLocalStorage would still give 'second' here.
    await expect(secondRead).resolves.toBeUndefined();

    await expect(
      storage.run('third', async () => {
        await nextTurn();
        return storage.getStore();
      }),
    ).resolves.toBe('third');
  });

  it('closes the scope when the function it runs throws', async () => {
    const storage = new ScopedAsyncStorage<string>();
    expect(() =>
      storage.open('x', () => {
        throw new Error('boom');
      }),
    ).toThrow('boom');
    await expect(
      storage.run('y', async () => {
        throw new Error('bang');
      }),
    ).rejects.toThrow('bang');
    let read!: Promise<string | undefined>;
    storage.open('z', close => {
      read = nextTurn().then(() => storage.getStore());
      close();
    });
    // Had a scope that threw stayed open, the storage would still be on.
    await expect(read).resolves.toBeUndefined();
  });
});
