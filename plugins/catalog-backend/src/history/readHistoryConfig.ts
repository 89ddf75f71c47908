import type { Config } from '@plinth/backend-plugin-api';
import { InputError } from '@plinth/errors';
import { readDurationMs } from '../wiring/readCatalogEngineConfig';

/** The settings of `catalog.history`. */
export interface HistoryConfig {
  /** Whether changes are captured at all. */
  enabled: boolean;
  /** Entries older than this are pruned. */
  maxAgeMs: number;
  /** Past this many entries, the oldest are pruned. */
  maxEntries: number;
  /** The page size of `GET /changes` and history routes without `limit`. */
  defaultPageSize: number;
  /** The largest `limit` they accept. */
  maxPageSize: number;
  /** The longest `wait` of a long poll. */
  maxWaitMs: number;
  /** Event streams one process serves at once. */
  maxStreams: number;
  /** How often waiters, the events publisher and the pruner look. */
  pollIntervalMs: number;
  /** How often an idle event stream sends a comment to stay open. */
  heartbeatMs: number;
}

/**
 * Reads `catalog.history`: `enabled` (true), `retention.maxAge` (30
 * days), `retention.maxEntries` (1,000,000), `defaultPageSize` (100),
 * `maxPageSize` (1000), `maxWait` (30 seconds), `maxStreams` (100),
 * `pollInterval` (1 second) and `heartbeatInterval` (15 seconds).
 *
 * @throws {@link @plinth/errors#InputError} naming the key, the expected
 *   form and the value.
 */
export function readHistoryConfig(config: Config): HistoryConfig {
  const key = (name: string) => `catalog.history.${name}`;
  const enabled = config.getOptional(key('enabled')) ?? true;
  if (typeof enabled !== 'boolean') {
    throw invalid(key('enabled'), 'true or false', enabled);
  }
  const maxPageSize = readCount(config, key('maxPageSize'), 1000);
  const defaultPageSize = readCount(config, key('defaultPageSize'), 100);
  if (defaultPageSize > maxPageSize) {
    throw invalid(
      key('defaultPageSize'),
      `at most 'catalog.history.maxPageSize' (${maxPageSize})`,
      defaultPageSize,
    );
  }
  return {
    enabled,
    maxAgeMs: readDurationMs(config, key('retention.maxAge'), 30 * 86_400_000),
    maxEntries: readCount(config, key('retention.maxEntries'), 1_000_000),
    defaultPageSize,
    maxPageSize,
    maxWaitMs: readDurationMs(config, key('maxWait'), 30_000),
    maxStreams: readCount(config, key('maxStreams'), 100),
    pollIntervalMs: readDurationMs(config, key('pollInterval'), 1000),
    heartbeatMs: readDurationMs(config, key('heartbeatInterval'), 15_000),
  };
}

function readCount(config: Config, key: string, fallback: number): number {
  const value = config.getOptional(key) ?? fallback;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 1) {
    throw invalid(key, 'an integer of at least 1', value);
  }
  return value;
}

function invalid(key: string, expected: string, value: unknown): InputError {
  return new InputError(
    `Invalid config at '${key}': expected ${expected}, got ${JSON.stringify(value)}.`,
  );
}
