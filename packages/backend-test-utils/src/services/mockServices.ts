import { LifecycleHooks } from '@plinth/backend-app-api';
import { ConfigReader } from '@plinth/backend-defaults';
import {
  coreServices,
  createServiceFactory,
  type BackstageCredentials,
  type JsonObject,
  type LifecycleService,
  type LoggerService,
  type RootConfigService,
  type RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { MockLoggerService } from './MockLoggerService';
import { MockAuthService } from './auth/MockAuthService';
import { MockHttpAuthService } from './auth/MockHttpAuthService';
import { MockUserInfoService } from './auth/MockUserInfoService';
import { MockSchedulerService } from './scheduler/MockSchedulerService';

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

function auth(options?: { pluginId?: string }): MockAuthService {
  return new MockAuthService({ pluginId: options?.pluginId ?? 'test' });
}
auth.factory = () =>
  createServiceFactory({
    service: coreServices.auth,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    factory: ({ pluginMetadata }) => auth({ pluginId: pluginMetadata.getId() }),
  });

/**
 * Options for the mock HTTP auth service.
 *
 * @public
 */
export interface MockHttpAuthOptions {
  /**
   * The credentials of requests without a token; `mockCredentials.none()`
   * makes such requests unauthenticated.
   * @defaultValue `mockCredentials.user()`
   */
  defaultCredentials?: BackstageCredentials;
}

function httpAuth(
  options?: MockHttpAuthOptions & { pluginId?: string },
): MockHttpAuthService {
  return new MockHttpAuthService({
    auth: auth({ pluginId: options?.pluginId }),
    defaultCredentials: options?.defaultCredentials,
  });
}
httpAuth.factory = (options?: MockHttpAuthOptions) =>
  createServiceFactory({
    service: coreServices.httpAuth,
    deps: { auth: coreServices.auth },
    factory: ({ auth: pluginAuth }) =>
      new MockHttpAuthService({
        auth: pluginAuth,
        defaultCredentials: options?.defaultCredentials,
      }),
  });

function userInfo(options?: {
  ownership?: Record<string, string[]>;
}): MockUserInfoService {
  return new MockUserInfoService(options);
}
/** `ownership` maps a user ref to the group refs it owns through. */
userInfo.factory = (options?: { ownership?: Record<string, string[]> }) =>
  createServiceFactory({
    service: coreServices.userInfo,
    deps: {},
    factory: () => userInfo(options),
  });

function scheduler(): MockSchedulerService {
  return new MockSchedulerService();
}
scheduler.factory = () =>
  createServiceFactory({
    service: coreServices.scheduler,
    deps: {},
    factory: () => scheduler(),
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
  auth,
  httpAuth,
  userInfo,
  scheduler,
};
