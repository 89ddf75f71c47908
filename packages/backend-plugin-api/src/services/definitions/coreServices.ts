import { createServiceRef } from '../createServiceRef';
import type { AuditorService } from './AuditorService';
import type {
  AuthService,
  HttpAuthService,
  UserInfoService,
} from './AuthService';
import type { CacheService } from './CacheService';
import type { DatabaseService } from './DatabaseService';
import type {
  DiscoveryService,
  HttpRouterService,
  RootHealthService,
  RootHttpRouterService,
} from './HttpRouterService';
import type {
  LifecycleService,
  RootLifecycleService,
} from './LifecycleService';
import type { LoggerService, RootLoggerService } from './LoggerService';
import type { PermissionsRegistryService } from './PermissionsRegistryService';
import type { PermissionsService } from './PermissionsService';
import type {
  PluginMetadataService,
  RootInstanceMetadataService,
} from './PluginMetadataService';
import type { RootConfigService } from './RootConfigService';
import type { RootSystemMetadataService } from './RootSystemMetadataService';
import type { SchedulerService } from './SchedulerService';
import type { UrlReaderService } from './UrlReaderService';

/**
 * Refs for the services every Plinth backend provides; the backend supplies
 * an implementation of each, and tests use the mocks of
 * `@plinth/backend-test-utils`.
 *
 * @public
 */
export const coreServices = {
  /** The backend's configuration. */
  rootConfig: createServiceRef<RootConfigService>({
    id: 'core.rootConfig',
    scope: 'root',
  }),
  /** The backend-wide logger. */
  rootLogger: createServiceRef<RootLoggerService>({
    id: 'core.rootLogger',
    scope: 'root',
  }),
  /** A logger whose lines carry the plugin id. */
  logger: createServiceRef<LoggerService>({ id: 'core.logger' }),
  /** Start and stop hooks for the whole backend. */
  rootLifecycle: createServiceRef<RootLifecycleService>({
    id: 'core.rootLifecycle',
    scope: 'root',
  }),
  /** Start and stop hooks for one plugin. */
  lifecycle: createServiceRef<LifecycleService>({ id: 'core.lifecycle' }),
  /** The HTTP server. */
  rootHttpRouter: createServiceRef<RootHttpRouterService>({
    id: 'core.rootHttpRouter',
    scope: 'root',
  }),
  /** The plugin's routes under `/api/<pluginId>`. */
  httpRouter: createServiceRef<HttpRouterService>({ id: 'core.httpRouter' }),
  /** Token verification and issuing. */
  auth: createServiceRef<AuthService>({ id: 'core.auth' }),
  /** Credentials of incoming requests. */
  httpAuth: createServiceRef<HttpAuthService>({ id: 'core.httpAuth' }),
  /** Details of signed-in users. */
  userInfo: createServiceRef<UserInfoService>({ id: 'core.userInfo' }),
  /** The plugin's database. */
  database: createServiceRef<DatabaseService>({ id: 'core.database' }),
  /** Recurring tasks. */
  scheduler: createServiceRef<SchedulerService>({ id: 'core.scheduler' }),
  /** Base URLs of plugins. */
  discovery: createServiceRef<DiscoveryService>({ id: 'core.discovery' }),
  /** Reads files and trees from allowed locations. */
  urlReader: createServiceRef<UrlReaderService>({ id: 'core.urlReader' }),
  /** The plugin's cache namespace. */
  cache: createServiceRef<CacheService>({ id: 'core.cache' }),
  /** The id of the plugin a service serves; provided by the backend itself. */
  pluginMetadata: createServiceRef<PluginMetadataService>({
    id: 'core.pluginMetadata',
  }),
  /** Liveness and readiness. */
  rootHealth: createServiceRef<RootHealthService>({
    id: 'core.rootHealth',
    scope: 'root',
  }),
  /** The installed plugins and modules; provided by the backend itself. */
  rootInstanceMetadata: createServiceRef<RootInstanceMetadataService>({
    id: 'core.rootInstanceMetadata',
    scope: 'root',
  }),
  /** Audit events: who did what in the plugin, and how it ended. */
  auditor: createServiceRef<AuditorService>({ id: 'core.auditor' }),
  /** Authorization of the caller behind credentials. */
  permissions: createServiceRef<PermissionsService>({
    id: 'core.permissions',
  }),
  /** The plugin's permissions, resource types and rules. */
  permissionsRegistry: createServiceRef<PermissionsRegistryService>({
    id: 'core.permissionsRegistry',
  }),
  /** The plugins of the whole system, on this instance and on others. */
  rootSystemMetadata: createServiceRef<RootSystemMetadataService>({
    id: 'core.rootSystemMetadata',
    scope: 'root',
  }),
};
