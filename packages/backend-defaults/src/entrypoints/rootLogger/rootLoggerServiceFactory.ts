import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { readConfigSecrets, readConfigWarnings } from '../../config';
import { readLogLevel } from './logLevels';
import { WinstonLogger } from './WinstonLogger';

/**
 * The default root logger: a {@link WinstonLogger} writing JSON lines when
 * `NODE_ENV` is `production` and pretty lines otherwise, at the level of
 * `LOG_LEVEL`, else `backend.logging.level`, else `info`, with every config
 * secret redacted. It logs the warnings found while loading the config
 * (see {@link readConfigWarnings}), which is loaded before any logger.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootConfigServiceFactory, rootLoggerServiceFactory],
 * });
 * ```
 * @throws {@link @plinth/backend-defaults#ConfigError} with code `CONFIG_LOG_LEVEL_INVALID` when the level is not one of
 *   `error`, `warn`, `info`, `debug`.
 * @public
 */
export const rootLoggerServiceFactory = createServiceFactory({
  service: coreServices.rootLogger,
  deps: { config: coreServices.rootConfig },
  factory: ({ config }) => {
    const logger = WinstonLogger.create({
      level: readLogLevel(config, process.env),
      format: process.env.NODE_ENV === 'production' ? 'json' : 'pretty',
    });
    logger.addRedactions(readConfigSecrets(config));
    config.subscribe?.(() => logger.addRedactions(readConfigSecrets(config)));
    for (const warning of readConfigWarnings(config)) {
      logger.warn(warning);
    }
    return logger;
  },
});
