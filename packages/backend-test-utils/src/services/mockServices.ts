import { LifecycleHooks } from '@plinth/backend-app-api';
import { ConfigReader } from '@plinth/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type JsonObject,
  type LifecycleService,
  type LoggerService,
  type RootConfigService,
  type RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { MockLoggerService } from './MockLoggerService';

/**
 * Options for the mock config service.
 *
 * @public
 */
export interface MockConfigOptions {
  /**
   * The configuration, as it would be read from `app-config.yaml`.
   * @defaultValue `{}`
   */
  data?: JsonObject;
}

function rootConfig(options?: MockConfigOptions): RootConfigService {
  return new ConfigReader(options?.data ?? {}, 'mock-config');
}
rootConfig.factory = (options?: MockConfigOptions) =>
  createServiceFactory({
    service: coreServices.rootConfig,
    deps: {},
    factory: () => rootConfig(options),
  });

function rootLogger(): MockLoggerService {
  return MockLoggerService.create();
}
/**
 * Pass a logger to read its lines in the test; by default lines are kept
 * in a logger of its own.
 */
rootLogger.factory = (options?: { logger?: MockLoggerService }) =>
  createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => options?.logger ?? rootLogger(),
  });

function logger(): MockLoggerService {
  return MockLoggerService.create();
}
logger.factory = () =>
  createServiceFactory({
    service: coreServices.logger,
    deps: {
      rootLogger: coreServices.rootLogger,
      pluginMetadata: coreServices.pluginMetadata,
    },
    factory: ({ rootLogger: root, pluginMetadata }) =>
      root.child({ plugin: pluginMetadata.getId() }),
  });

function rootLifecycle(options?: {
  logger?: LoggerService;
}): RootLifecycleService & LifecycleHooks {
  return LifecycleHooks.create({ owner: 'the root', logger: options?.logger });
}
rootLifecycle.factory = () =>
  createServiceFactory({
    service: coreServices.rootLifecycle,
    deps: { logger: coreServices.rootLogger },
    factory: ({ logger: log }) => rootLifecycle({ logger: log }),
  });

function lifecycle(options?: {
  pluginId?: string;
  logger?: LoggerService;
}): LifecycleService & LifecycleHooks {
  return LifecycleHooks.create({
    owner: `plugin '${options?.pluginId ?? 'test'}'`,
    logger: options?.logger,
  });
}
lifecycle.factory = () =>
  createServiceFactory({
    service: coreServices.lifecycle,
    deps: {
      logger: coreServices.logger,
      pluginMetadata: coreServices.pluginMetadata,
    },
    factory: ({ logger: log, pluginMetadata }) =>
      lifecycle({ pluginId: pluginMetadata.getId(), logger: log }),
  });

/**
 * In-memory implementations of core services for tests. Each
 * `mockServices.x()` returns an instance to use directly; each
 * `mockServices.x.factory()` returns a factory to pass to
 * `startTestBackend({ features })`.
 *
 * @example
 * ```ts
 * await startTestBackend({
 *   features: [
 *     examplePlugin,
 *     mockServices.rootConfig.factory({ data: { example: { value: 'x' } } }),
 *   ],
 * });
 * ```
 * @public
 */
export const mockServices = {
  rootConfig,
  rootLogger,
  logger,
  rootLifecycle,
  lifecycle,
};
