import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * An `AsyncLocalStorage` that is switched off whenever none of its scopes
 * is open.
 *
 * @remarks
 * Before Node.js 24, an `AsyncLocalStorage` that has run once keeps async
 * hooks on for the rest of the process: every promise anywhere, in every
 * request, then pays to carry the store, which cost the catalog's reads a
 * fifth to a third of their throughput. The catalog needs its stores only while a
 * write request or the reading of a location is under way, so each scope
 * counts as open until it is closed, and the storage is disabled (hooks
 * off, when no other storage needs them) once the last one closes. A
 * promise that a scope started and did not wait for may therefore read no
 * store once its scope has closed.
 *
 * @internal
 */
export class ScopedAsyncStorage<T> {
  readonly #storage = new AsyncLocalStorage<T>();
  #open = 0;

  /**
   * Calls `fn` with `store` as the store of everything it starts, and
   * keeps the scope open until `fn` calls the function it is given (once
   * is enough; later calls do nothing). A scope whose `fn` throws closes.
   */
  open(store: T, fn: (close: () => void) => void): void {
    this.#open += 1;
    let closed = false;
    const close = () => {
      if (closed) {
        return;
      }
      closed = true;
      this.#open -= 1;
      if (this.#open === 0) {
        this.#storage.disable();
      }
    };
    try {
      this.#storage.run(store, fn, close);
    } catch (error) {
      close();
      throw error;
    }
  }

  /** Awaits `fn` with `store` as its store; the scope closes when it settles. */
  async run<R>(store: T, fn: () => Promise<R>): Promise<R> {
    let result!: Promise<R>;
    let close!: () => void;
    this.open(store, closeScope => {
      close = closeScope;
      result = fn();
    });
    try {
      return await result;
    } finally {
      close();
    }
  }

  /** The store of the scope this runs in, while that scope is open. */
  getStore(): T | undefined {
    return this.#storage.getStore();
  }
}
