import type { RootConfigService } from '@plinth/backend-plugin-api';
import { ConfigReader, readDurationFromConfig } from '../../config';
import { InvalidConfigError } from '../../errors';
import type { DatabaseEventsServiceOptions } from './DatabaseEventsService';

/**
 * Reads `events.pollInterval` and `events.retention` for the
 * database-backed events service; unset keys keep their defaults.
 *
 * @throws {@link InvalidConfigError} naming the first invalid key.
 */
export function readEventsConfig(
  config: RootConfigService,
): Omit<DatabaseEventsServiceOptions, 'logger'> {
  const pollIntervalMs = readDurationFromConfig(config, 'events.pollInterval', {
    allowZero: false,
  });
  const maxAgeMs = readDurationFromConfig(config, 'events.retention.maxAge', {
    allowZero: false,
  });
  const minAgeMs = readDurationFromConfig(config, 'events.retention.minAge');
  const maxCountKey = 'events.retention.maxCount';
  const maxCount = config.getOptional(maxCountKey);
  if (
    maxCount !== undefined &&
    !(
      typeof maxCount === 'number' &&
      Number.isInteger(maxCount) &&
      maxCount > 0
    )
  ) {
    throw new InvalidConfigError(
      maxCountKey,
      ConfigReader.findContext(config, maxCountKey),
      'a whole number of events above 0',
      maxCount,
    );
  }
  return {
    ...(pollIntervalMs !== undefined ? { pollIntervalMs } : {}),
    retention: {
      ...(maxAgeMs !== undefined ? { maxAgeMs } : {}),
      ...(minAgeMs !== undefined ? { minAgeMs } : {}),
      ...(maxCount !== undefined ? { maxCount } : {}),
    },
  };
}
