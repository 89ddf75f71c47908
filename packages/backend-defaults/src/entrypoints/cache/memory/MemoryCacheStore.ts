import { InputError } from '@plinth/errors';
import type { CacheStore } from '../CacheStore';

/**
 * Options for {@link MemoryCacheStore.create}.
 *
 * @public
 */
export interface MemoryCacheStoreOptions {
  /**
   * The most entries kept; past it, the least recently used go first.
   * @defaultValue `10000`
   */
  maxEntries?: number;
  /**
   * The most memory the entries may take, estimated as two bytes per
   * character of key and value plus 64 bytes per entry; past it, the least
   * recently used go first.
   * @defaultValue `67108864` (64 MiB)
   */
  maxBytes?: number;
  /**
   * How often expired entries are removed in the background. The timer does
   * not keep the process alive.
   * @defaultValue `60000` (one minute)
   */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  /** `Date.now()` after which the entry is gone, or `undefined` for never. */
  expiresAt: number | undefined;
  bytes: number;
}

const entryOverheadBytes = 64;

/**
 * A {@link CacheStore} in the memory of this process: fast, lost on restart,
 * not shared between replicas. Expired entries are never returned and are
 * swept once a minute; the size is bounded by entry count and estimated
 * bytes, evicting the least recently used entries first.
 *
 * @public
 */
export class MemoryCacheStore implements CacheStore {
  readonly #entries = new Map<string, Entry>();
  readonly #maxEntries: number;
  readonly #maxBytes: number;
  readonly #timer: NodeJS.Timeout;
  #bytes = 0;

  /**
   * Creates an empty store and starts its sweep timer.
   *
   * @example
   * ```ts
   * const store = MemoryCacheStore.create({ maxEntries: 1000 });
   * await store.set('catalog:a', '"x"', 60_000);
   * ```
   * @throws {@link @plinth/errors#InputError} when an option is not a positive integer.
   */
  static create(options: MemoryCacheStoreOptions = {}): MemoryCacheStore {
    const read = (name: keyof MemoryCacheStoreOptions, fallback: number) => {
      const value = options[name] ?? fallback;
      if (!Number.isSafeInteger(value) || value <= 0) {
        throw new InputError(
          `Invalid option '${name}' for MemoryCacheStore.create(): expected a positive integer, got ${String(value)}.`,
        );
      }
      return value;
    };
    return new MemoryCacheStore(
      read('maxEntries', 10_000),
      read('maxBytes', 64 * 1024 * 1024),
      read('sweepIntervalMs', 60_000),
    );
  }

  private constructor(
    maxEntries: number,
    maxBytes: number,
    sweepIntervalMs: number,
  ) {
    this.#maxEntries = maxEntries;
    this.#maxBytes = maxBytes;
    this.#timer = setInterval(() => this.#sweep(), sweepIntervalMs);
    this.#timer.unref();
  }

  /** How many entries the store holds, expired ones not yet swept included. */
  get size(): number {
    return this.#entries.size;
  }

  async get(key: string): Promise<string | undefined> {
    const entry = this.#entries.get(key);
    if (!entry) {
      return undefined;
    }
    if (isExpired(entry, Date.now())) {
      this.#remove(key, entry);
      return undefined;
    }
    // Re-inserting moves the key to the end: the most recently used.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  /**
   * @throws {@link @plinth/errors#InputError} when one entry alone is larger
   *   than `maxBytes`.
   */
  async set(key: string, value: string, ttlMs?: number): Promise<void> {
    const bytes = 2 * (key.length + value.length) + entryOverheadBytes;
    if (bytes > this.#maxBytes) {
      throw new InputError(
        `Cannot cache key '${key}' in memory: it takes about ${bytes} bytes, more than the store's limit of ${this.#maxBytes} bytes; cache smaller values, or use the 'redis' store.`,
      );
    }
    const previous = this.#entries.get(key);
    if (previous) {
      this.#remove(key, previous);
    }
    this.#entries.set(key, {
      value,
      expiresAt: ttlMs === undefined ? undefined : Date.now() + ttlMs,
      bytes,
    });
    this.#bytes += bytes;
    this.#evict();
  }

  async delete(key: string): Promise<void> {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#remove(key, entry);
    }
  }

  async close(): Promise<void> {
    clearInterval(this.#timer);
    this.#entries.clear();
    this.#bytes = 0;
  }

  #remove(key: string, entry: Entry) {
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /** Drops the least recently used entries until both limits hold. */
  #evict() {
    for (const [key, entry] of this.#entries) {
      if (
        this.#entries.size <= this.#maxEntries &&
        this.#bytes <= this.#maxBytes
      ) {
        return;
      }
      this.#remove(key, entry);
    }
  }

  #sweep() {
    const now = Date.now();
    for (const [key, entry] of this.#entries) {
      if (isExpired(entry, now)) {
        this.#remove(key, entry);
      }
    }
  }
}

function isExpired(entry: Entry, now: number): boolean {
  return entry.expiresAt !== undefined && entry.expiresAt <= now;
}
