import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { urlReaderFactoriesServiceRef } from './urlReaderFactoriesServiceRef';
import { UrlReaders } from './UrlReaders';

/**
 * The default `core.urlReader`: {@link UrlReaders} built once from
 * `backend.reading`, logging refused reads to the root logger, plus the
 * readers that modules add through {@link urlReaderFactoriesServiceRef}.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [urlReaderServiceFactory, ...otherFactories],
 * });
 * ```
 * @public
 */
export const urlReaderServiceFactory = createServiceFactory({
  service: coreServices.urlReader,
  deps: {
    config: coreServices.rootConfig,
    rootLogger: coreServices.rootLogger,
    logger: coreServices.logger,
    factories: urlReaderFactoriesServiceRef,
  },
  createRootContext: ({ config, rootLogger }) =>
    UrlReaders.create({
      config,
      logger: rootLogger.child({ service: 'urlReader' }),
    }),
  factory: ({ config, logger, factories }, readers) =>
    readers.withReaders(factories.flatMap(f => f({ config, logger }))),
});
