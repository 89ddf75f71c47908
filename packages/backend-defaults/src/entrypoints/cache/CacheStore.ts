/**
 * Where a cache keeps its entries. Keys arrive already namespaced
 * (`<pluginId>:<key>`) and values already serialized, so a store only
 * keeps strings.
 *
 * @public
 */
export interface CacheStore {
  /** The value, or `undefined` when the key is absent or expired. */
  get(key: string): Promise<string | undefined>;
  /** Stores the value; `ttlMs` is a positive number of milliseconds, or absent for no expiry. */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Releases timers and connections; the store is unusable afterwards. */
  close(): Promise<void>;
}
