import type { Config } from '@plinth/backend-plugin-api';
import type { Knex } from 'knex';
import { DatabaseConfigError } from './DatabaseConfigError';

const numberKeys = [
  'min',
  'max',
  'acquireTimeoutMillis',
  'createTimeoutMillis',
  'destroyTimeoutMillis',
  'idleTimeoutMillis',
  'reapIntervalMillis',
  'createRetryIntervalMillis',
  'maxConnectionLifetimeMillis',
  'maxConnectionLifetimeJitterMillis',
] as const;

const booleanKeys = ['propagateCreateError'] as const;

/**
 * Reads the knex pool settings at `key` (`backend.database.pool` or a
 * plugin's), accepting numbers written as strings, as environment
 * variables give.
 * @throws {@link DatabaseConfigError} for a key knex does not know.
 */
export function readPoolConfig(
  config: Config | undefined,
  key: string,
): Knex.PoolConfig {
  const pool: Record<string, number | boolean> = {};
  for (const name of config?.keys() ?? []) {
    if ((numberKeys as readonly string[]).includes(name)) {
      pool[name] = config!.getNumber(name);
    } else if ((booleanKeys as readonly string[]).includes(name)) {
      pool[name] = config!.getBoolean(name);
    } else {
      throw DatabaseConfigError.unknownPoolKey(`${key}.${name}`, [
        ...numberKeys,
        ...booleanKeys,
      ]);
    }
  }
  return pool;
}
