/**
 * Gathers single-key lookups made in the same turn of the event loop into
 * one batched load, as a data loader does: under concurrent load, ten
 * `GET /entities/by-name` requests cost one database round trip instead
 * of ten.
 *
 * @internal
 */
export class BatchedLookup<V> {
  readonly #load: (keys: string[]) => Promise<Map<string, V>>;
  readonly #maxBatchSize: number;
  #pending = new Map<
    string,
    Array<{ resolve(value: V | undefined): void; reject(error: unknown): void }>
  >();
  #scheduled = false;

  /**
   * `load` answers the keys it finds; keys missing from its map resolve
   * to `undefined`.
   */
  constructor(
    load: (keys: string[]) => Promise<Map<string, V>>,
    options?: { maxBatchSize?: number },
  ) {
    this.#load = load;
    this.#maxBatchSize = options?.maxBatchSize ?? 500;
  }

  get(key: string): Promise<V | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#pending.get(key);
      if (waiters) {
        waiters.push({ resolve, reject });
      } else {
        this.#pending.set(key, [{ resolve, reject }]);
      }
      if (this.#pending.size >= this.#maxBatchSize) {
        this.#flush();
      } else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#pending;
    if (batch.size === 0) {
      return;
    }
    this.#pending = new Map();
    this.#load([...batch.keys()]).then(
      found => {
        for (const [key, waiters] of batch) {
          const value = found.get(key);
          for (const waiter of waiters) waiter.resolve(value);
        }
      },
      (error: unknown) => {
        for (const waiters of batch.values()) {
          for (const waiter of waiters) waiter.reject(error);
        }
      },
    );
  }
}
