import type { Config } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import type { FullMutationGuard } from '../database/replaceProviderEntities';

/** The settings of the processing engine and entity provider connections. */
export interface CatalogEngineConfig {
  /** The base time between two runs of one entity, before jitter. */
  processingIntervalMs: number;
  orphanStrategy: 'delete' | 'keep';
  fullMutationGuard: FullMutationGuard;
}

const unitMs: Record<string, number> = {
  years: 365 * 86_400_000,
  months: 30 * 86_400_000,
  weeks: 7 * 86_400_000,
  days: 86_400_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1000,
  milliseconds: 1,
};

/**
 * Reads `catalog.processingInterval`, `catalog.orphanStrategy` and
 * `catalog.fullMutationGuard`, with their defaults: 100 seconds, `delete`,
 * and a share of 0.5 for providers of at least 10 entities.
 *
 * @throws {@link @plinth/errors#InputError} naming the key, the expected
 *   form and the value, when a value is invalid.
 */
export function readCatalogEngineConfig(config: Config): CatalogEngineConfig {
  return {
    processingIntervalMs: readInterval(config),
    orphanStrategy: readOrphanStrategy(config),
    fullMutationGuard: {
      maxDeletionShare: readNumber(
        config,
        'catalog.fullMutationGuard.maxDeletionShare',
        0.5,
        value => value >= 0 && value <= 1,
        'a number from 0 to 1, such as 0.5',
      ),
      minEntities: readNumber(
        config,
        'catalog.fullMutationGuard.minEntities',
        10,
        value => Number.isInteger(value) && value >= 0,
        'a whole number of 0 or more, such as 10',
      ),
    },
  };
}

function readInterval(config: Config): number {
  const key = 'catalog.processingInterval';
  const value = config.getOptional(key);
  if (value === undefined) {
    return 100_000;
  }
  const fail = () =>
    invalid(key, 'a duration longer than zero such as { seconds: 100 }', value);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw fail();
  }
  let ms = 0;
  for (const [unit, amount] of Object.entries(value)) {
    if (!(unit in unitMs)) {
      throw invalid(
        `${key}.${unit}`,
        `one of the units ${Object.keys(unitMs)
          .map(u => `'${u}'`)
          .join(', ')}`,
        unit,
      );
    }
    if (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0) {
      throw invalid(`${key}.${unit}`, 'a number of 0 or more', amount);
    }
    ms += amount * unitMs[unit];
  }
  if (ms <= 0) {
    throw fail();
  }
  return ms;
}

function readOrphanStrategy(config: Config): 'delete' | 'keep' {
  const key = 'catalog.orphanStrategy';
  const value = config.getOptional(key) ?? 'delete';
  if (value !== 'delete' && value !== 'keep') {
    throw invalid(key, "one of 'delete', 'keep'", value);
  }
  return value;
}

function readNumber(
  config: Config,
  key: string,
  fallback: number,
  accept: (value: number) => boolean,
  expected: string,
): number {
  const value = config.getOptional(key);
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !accept(value)) {
    throw invalid(key, expected, value);
  }
  return value;
}

function invalid(key: string, expected: string, value: unknown): InputError {
  return new InputError(
    `Invalid config at '${key}': expected ${expected}, got ${JSON.stringify(value)}.`,
  );
}
