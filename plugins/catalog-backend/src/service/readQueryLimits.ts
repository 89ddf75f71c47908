import type { Config } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';

/**
 * How many entities one response may hold.
 *
 * @internal
 */
export interface PaginationLimits {
  /** The page size of `GET /entities` without `limit`. */
  defaultLimit: number;
  /** The largest `limit` any route accepts, and the most refs by-refs takes. */
  maxLimit: number;
  /** The page size of `GET /entities/by-query` without `limit`. */
  queryDefaultLimit: number;
}

/**
 * Reads `catalog.pagination.defaultLimit` (default 1000) and
 * `catalog.pagination.maxLimit` (default 10000).
 *
 * @throws InputError when either is not a positive integer, or the default
 *   exceeds the maximum.
 * @internal
 */
export function readPaginationConfig(config: Config): PaginationLimits {
  const maxLimit = readPositiveInteger(
    config,
    'catalog.pagination.maxLimit',
    10000,
  );
  const defaultLimit = readPositiveInteger(
    config,
    'catalog.pagination.defaultLimit',
    Math.min(1000, maxLimit),
  );
  if (defaultLimit > maxLimit) {
    throw new InputError(
      `Invalid config at 'catalog.pagination.defaultLimit': ${defaultLimit} is above 'catalog.pagination.maxLimit' (${maxLimit}). Lower the default or raise the maximum.`,
    );
  }
  return { defaultLimit, maxLimit, queryDefaultLimit: Math.min(20, maxLimit) };
}

function readPositiveInteger(
  config: Config,
  key: string,
  defaultValue: number,
): number {
  const value = config.getOptionalNumber(key) ?? defaultValue;
  if (!Number.isSafeInteger(value) || value < 1) {
    throw new InputError(
      `Invalid config at '${key}': expected an integer of at least 1, got ${value}.`,
    );
  }
  return value;
}
