import type { Config } from '@plinth/backend-plugin-api';
import type { OrphanStrategy } from '../database/entityReferences';
import { InputError, quoteList } from '@plinth/errors';
import type { FullMutationGuard } from '../database/providerEntities';

/** The settings of the processing engine and entity provider connections. */
export interface CatalogEngineConfig {
  /** The base time between two runs of one entity, before jitter. */
  processingIntervalMs: number;
  orphanStrategy: OrphanStrategy;
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
 * a share of 0.5 and no confirmed removals.
 *
 * @throws {@link @plinth/errors#InputError} naming the key, the expected
 *   form and the value, when a value is invalid.
 */
export function readCatalogEngineConfig(config: Config): CatalogEngineConfig {
  return {
    processingIntervalMs: readDurationMs(
      config,
      'catalog.processingInterval',
      100_000,
    ),
    orphanStrategy: readOrphanStrategy(config),
    fullMutationGuard: {
      maxDeletionShare: readNumber(
        config,
        'catalog.fullMutationGuard.maxDeletionShare',
        0.5,
        value => value >= 0 && value <= 1,
        'a number from 0 to 1, such as 0.5',
      ),
      confirmedRemovals: readConfirmedRemovals(config),
    },
  };
}

/**
 * A duration in the catalog's config, an object of units such as
 * `{ minutes: 1, seconds: 30 }`, in milliseconds; `fallback` when unset.
 *
 * @throws {@link @plinth/errors#InputError} naming the key, or the key of
 *   the unit, and what was expected.
 * @internal
 */
export function readDurationMs(
  config: Config,
  key: string,
  fallback: number,
): number {
  const value = config.getOptional(key);
  if (value === undefined) {
    return fallback;
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
        `one of the units ${quoteList(Object.keys(unitMs))}`,
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

function readOrphanStrategy(config: Config): OrphanStrategy {
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

/** The ids the full mutation guard prints: 12 lowercase hex digits. */
function readConfirmedRemovals(config: Config): string[] {
  const key = 'catalog.fullMutationGuard.confirmedRemovals';
  const value = config.getOptional(key) ?? [];
  if (!Array.isArray(value)) {
    throw invalid(
      key,
      "a list of confirmation ids such as ['c0ffee123456']",
      value,
    );
  }
  value.forEach((id, index) => {
    if (typeof id !== 'string' || !/^[0-9a-f]{12}$/.test(id)) {
      throw invalid(
        `${key}[${index}]`,
        "12 lowercase hex digits, as the warning of a held-back full mutation prints its confirmation id, such as 'c0ffee123456'",
        id,
      );
    }
  });
  return value as string[];
}

function invalid(key: string, expected: string, value: unknown): InputError {
  return new InputError(
    `Invalid config at '${key}': expected ${expected}, got ${JSON.stringify(value)}.`,
  );
}
