import type { HumanDuration } from './SchedulerService';
import type { JsonValue } from '@plinth/errors';

/**
 * Options for {@link CacheService.set}.
 *
 * @public
 */
export interface CacheServiceSetOptions {
  /**
   * How long the value lives, in milliseconds or as a duration.
   * @defaultValue the `defaultTtl` of the cache, or no expiry
   */
  ttl?: number | HumanDuration;
}

/**
 * Options for {@link CacheService.withOptions}.
 *
 * @public
 */
export interface CacheServiceOptions {
  /**
   * The ttl for values set without one.
   * @defaultValue no expiry
   */
  defaultTtl?: number | HumanDuration;
}

/**
 * A key-value cache in the plugin's own namespace.
 *
 * @public
 */
export interface CacheService {
  get<TValue extends JsonValue>(key: string): Promise<TValue | undefined>;
  set(
    key: string,
    value: JsonValue,
    options?: CacheServiceSetOptions,
  ): Promise<void>;
  delete(key: string): Promise<void>;
  /** A view of the same namespace with other defaults. */
  withOptions(options: CacheServiceOptions): CacheService;
}
