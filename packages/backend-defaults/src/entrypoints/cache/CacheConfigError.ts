import { CustomErrorBase } from '@plinth/errors';

const connectionExample = "'redis://:password@localhost:6379'";

/**
 * The cache settings under `backend.cache` are invalid. Messages never
 * repeat the connection string, which may hold a password.
 *
 * @public
 */
export class CacheConfigError extends CustomErrorBase {
  readonly name = 'CacheConfigError' as const;

  /** `backend.cache.store` names no known store. */
  static unknownStore(
    store: string,
    validStores: readonly string[],
  ): CacheConfigError {
    return new CacheConfigError(
      `Unknown cache store '${store}' at 'backend.cache.store': use one of ${validStores.map(s => `'${s}'`).join(', ')}.`,
    );
  }

  /** The redis store needs `backend.cache.connection`. */
  static missingConnection(store: string): CacheConfigError {
    return new CacheConfigError(
      `Missing config at 'backend.cache.connection': the '${store}' cache store needs a connection URL such as ${connectionExample}.`,
    );
  }

  /** `backend.cache.connection` is not a Redis URL; `got` must not hold the value. */
  static invalidConnection(got: string): CacheConfigError {
    return new CacheConfigError(
      `Invalid config at 'backend.cache.connection': expected a redis:// or rediss:// URL such as ${connectionExample}, got ${got}.`,
    );
  }
}
