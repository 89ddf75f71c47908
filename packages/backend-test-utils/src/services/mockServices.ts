import { LifecycleHooks } from '@plinth/backend-app-api';
import {
  ConfigReader,
  DefaultCacheService,
  DefaultRootHealthService,
  MemoryCacheStore,
  permissionsRegistryServiceFactory,
} from '@plinth/backend-defaults';
import {
  DefaultMetricsService,
  DefaultTracingService,
  metricsServiceFactory,
  tracingServiceFactory,
} from '@plinth/backend-defaults/alpha';
import {
  coreServices,
  createServiceFactory,
  type RootSystemMetadataService,
  type RootSystemMetadataServicePluginInfo,
  type BackstageCredentials,
  type CacheService,
  type DatabaseService,
  type DiscoveryService,
  type JsonObject,
  type LifecycleService,
  type LoggerService,
  type RootConfigService,
  type RootLifecycleService,
} from '@plinth/backend-plugin-api';
import {
  DefaultEventsService,
  eventsServiceFactory,
} from '@plinth/plugin-events-node';
import type { Knex } from 'knex';
import type { AuthorizeResult } from '@plinth/plugin-permission-common';
import { TestDatabases } from '../TestDatabases';
import { MockLoggerService } from './MockLoggerService';
import { MockAuthService, MockHttpAuthService } from './MockAuthService';
import { MockUserInfoService } from './mockCredentials';
import { MockSchedulerService } from './MockSchedulerService';
import { MockUrlReader } from './MockUrlReader';
import { MockAuditorService } from './MockAuditorService';
import { MockPermissionsService } from './MockPermissionsService';

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

/**
 * Options for the mock discovery service.
 *
 * @public
 */
export interface MockDiscoveryOptions {
  /**
   * The base URL of the backend, or a function that returns it when asked,
   * such as once a test server has its port.
   * @defaultValue `'http://localhost:0'`
   */
  baseUrl?: string | (() => string);
}

function discovery(options?: MockDiscoveryOptions): DiscoveryService {
  const base = options?.baseUrl ?? 'http://localhost:0';
  const url = async (pluginId: string) =>
    `${typeof base === 'function' ? base() : base}/api/${pluginId}`;
  return { getBaseUrl: url, getExternalBaseUrl: url };
}
discovery.factory = (options?: MockDiscoveryOptions) =>
  createServiceFactory({
    service: coreServices.discovery,
    deps: {},
    factory: () => discovery(options),
  });

/**
 * Options for the mock database service.
 *
 * @public
 */
export interface MockDatabaseOptions {
  /**
   * The client every plugin gets.
   * @defaultValue a fresh schema per plugin in the test file's PGlite
   */
  knex?: Knex;
}

function database(options?: MockDatabaseOptions): DatabaseService {
  if (options?.knex) {
    const client = options.knex;
    return { getClient: async () => client };
  }
  const databases = TestDatabases.create({
    ids: ['PGLITE'],
    startEarly: false,
  });
  let client: Promise<Knex> | undefined;
  return { getClient: () => (client ??= databases.init('PGLITE')) };
}
/**
 * Without `knex`, each plugin gets an empty PGlite schema on its first
 * `getClient()`; the file's first one starts PGlite, which takes seconds,
 * unless the file also calls `TestDatabases.create()` at its top.
 */
database.factory = (options?: MockDatabaseOptions) =>
  createServiceFactory({
    service: coreServices.database,
    deps: {},
    factory: () => database(options),
  });

function urlReader(files?: Record<string, string | Buffer>): MockUrlReader {
  return new MockUrlReader(files);
}
/** `files` maps each URL to its content; every plugin reads the same. */
urlReader.factory = (files?: Record<string, string | Buffer>) =>
  createServiceFactory({
    service: coreServices.urlReader,
    deps: {},
    createRootContext: () => urlReader(files),
    factory: (_deps, reader) => reader,
  });

function cache(): CacheService {
  const store = MemoryCacheStore.create();
  return DefaultCacheService.create({
    store: async () => store,
    pluginId: 'test',
    logger: MockLoggerService.create(),
  });
}
/** Each plugin gets its own namespace of one in-memory store. */
cache.factory = () =>
  createServiceFactory({
    service: coreServices.cache,
    deps: { pluginMetadata: coreServices.pluginMetadata },
    createRootContext: () => MemoryCacheStore.create(),
    factory: ({ pluginMetadata }, store) =>
      DefaultCacheService.create({
        store: async () => store,
        pluginId: pluginMetadata.getId(),
        logger: MockLoggerService.create(),
      }),
  });

function rootHealth(options?: {
  lifecycle?: RootLifecycleService;
}): DefaultRootHealthService {
  return DefaultRootHealthService.create({
    lifecycle: options?.lifecycle ?? rootLifecycle(),
  });
}
rootHealth.factory = () =>
  createServiceFactory({
    service: coreServices.rootHealth,
    deps: { lifecycle: coreServices.rootLifecycle },
    factory: ({ lifecycle: root }) => rootHealth({ lifecycle: root }),
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

function auditor(options?: { pluginId?: string }): MockAuditorService {
  return MockAuditorService.create(options);
}
/**
 * Pass an auditor to read the events of every plugin in the test; by
 * default the events are kept in an auditor of the factory's own.
 */
auditor.factory = (options?: { auditor?: MockAuditorService }) =>
  createServiceFactory({
    service: coreServices.auditor,
    deps: {
      auth: coreServices.auth,
      httpAuth: coreServices.httpAuth,
      pluginMetadata: coreServices.pluginMetadata,
    },
    createRootContext: () => options?.auditor ?? MockAuditorService.create(),
    factory: (
      { auth: pluginAuth, httpAuth: pluginHttpAuth, pluginMetadata },
      root,
    ) =>
      root.forPlugin({
        pluginId: pluginMetadata.getId(),
        auth: pluginAuth,
        httpAuth: pluginHttpAuth,
      }),
  });

/**
 * Options for the mock permissions service.
 *
 * @public
 */
export interface MockPermissionsOptions {
  /**
   * The answer to every request.
   * @defaultValue `AuthorizeResult.ALLOW`
   */
  result?: AuthorizeResult.ALLOW | AuthorizeResult.DENY;
}

function permissions(options?: MockPermissionsOptions): MockPermissionsService {
  return new MockPermissionsService(options);
}
/** Every plugin gets a service that answers `result` to everything. */
permissions.factory = (options?: MockPermissionsOptions) =>
  createServiceFactory({
    service: coreServices.permissions,
    deps: {},
    factory: () => permissions(options),
  });

/**
 * The registry is the real one, as in Backstage: it has no outside
 * effects, and its routes are what tests of permission rules exercise.
 */
const permissionsRegistry = {
  factory: () => permissionsRegistryServiceFactory,
};

function rootSystemMetadata(options?: {
  plugins?: ReadonlyArray<RootSystemMetadataServicePluginInfo>;
}): RootSystemMetadataService {
  const plugins = options?.plugins ?? [];
  return { getInstalledPlugins: async () => plugins };
}
/**
 * Without `plugins`, reports the plugins the test backend installed, with
 * no hosts: a test backend listens on a random port.
 */
rootSystemMetadata.factory = (options?: {
  plugins?: ReadonlyArray<RootSystemMetadataServicePluginInfo>;
}) =>
  createServiceFactory({
    service: coreServices.rootSystemMetadata,
    deps: { instanceMetadata: coreServices.rootInstanceMetadata },
    factory: ({ instanceMetadata }) =>
      options?.plugins
        ? rootSystemMetadata(options)
        : {
            getInstalledPlugins: async () =>
              (await instanceMetadata.getInstalledPlugins()).map(
                ({ pluginId }) => ({ pluginId, hosts: [] }),
              ),
          },
  });

/**
 * Instruments of OpenTelemetry's global meter provider, as in production:
 * they record nowhere unless the test registers an SDK, which is how a
 * test reads what a plugin measured.
 */
function metrics(options?: { pluginId?: string }): DefaultMetricsService {
  return DefaultMetricsService.create({
    name: `backstage-plugin-${options?.pluginId ?? 'test'}`,
  });
}
metrics.factory = () => metricsServiceFactory;

/**
 * Spans of OpenTelemetry's global tracer provider, as in production: they
 * are no-ops unless the test registers an SDK.
 */
function tracing(options?: { pluginId?: string }): DefaultTracingService {
  const pluginId = options?.pluginId ?? 'test';
  return DefaultTracingService.create({
    scope: { name: `backstage-plugin-${pluginId}` },
    pluginId,
    httpAuth: httpAuth(),
  });
}
tracing.factory = () => tracingServiceFactory;

function events(): DefaultEventsService {
  return DefaultEventsService.create({ logger: MockLoggerService.create() });
}
/**
 * The in-process events service, which is also the default of
 * `eventsServiceRef`: `publish` resolves once the subscribers of this
 * backend have handled the event.
 */
events.factory = () => eventsServiceFactory;

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
  discovery,
  database,
  urlReader,
  cache,
  rootHealth,
  auditor,
  permissions,
  permissionsRegistry,
  rootSystemMetadata,
  metrics,
  tracing,
  events,
};
