import {
  coreServices,
  createServiceFactory,
  createServiceRef,
  type LoggerService,
  type RootConfigService,
} from '@plinth/backend-plugin-api';
import { UrlReaders, type UrlReaderPredicateTuple } from './UrlReaders';

/**
 * Lets modules add readers for more URLs to `core.urlReader`: every factory
 * for this multiton ref contributes one {@link ReaderFactory}. When none is
 * installed, a default contributes no readers.
 *
 * @example
 * ```ts
 * backend.add(
 *   createServiceFactory({
 *     service: urlReaderFactoriesServiceRef,
 *     deps: {},
 *     factory: () => () => [
 *       { predicate: url => url.host === 'git.example.com', reader: gitReader },
 *     ],
 *   }),
 * );
 * ```
 * @public
 */
export const urlReaderFactoriesServiceRef = createServiceRef<ReaderFactory>({
  id: 'core.urlReader.factories',
  scope: 'plugin',
  multiton: true,
  defaultFactory: async service =>
    createServiceFactory({
      service,
      deps: {},
      factory: (): ReaderFactory => () => [],
    }),
});

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

/**
 * Makes the readers that a module adds, such as one for a code host's API;
 * provided through {@link urlReaderFactoriesServiceRef}.
 *
 * @public
 */
export type ReaderFactory = (options: {
  config: RootConfigService;
  logger: LoggerService;
}) => UrlReaderPredicateTuple[];
