import type { Config } from '@plinth/backend-plugin-api';
import { CacheConfigError } from '../CacheConfigError';

/**
 * The Redis URL at `backend.cache.connection`, checked without loading
 * ioredis, so a bad value fails when the cache is created.
 *
 * @throws {@link CacheConfigError} when it is missing or not a Redis URL.
 */
export function readRedisConnection(config: Config): string {
  const connection = config.getOptionalString('backend.cache.connection');
  if (connection === undefined) {
    throw CacheConfigError.missingConnection('redis');
  }
  let url: URL;
  try {
    url = new URL(connection);
  } catch {
    throw CacheConfigError.invalidConnection('a value that is not a URL');
  }
  if (url.protocol !== 'redis:' && url.protocol !== 'rediss:') {
    throw CacheConfigError.invalidConnection(
      `a URL with protocol '${url.protocol}'`,
    );
  }
  return connection;
}
