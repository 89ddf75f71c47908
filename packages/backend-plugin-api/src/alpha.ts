/**
 * Alpha contracts of Plinth's core services, matching Backstage's
 * `@backstage/backend-plugin-api/alpha`: their refs and interfaces may
 * change between minor versions.
 *
 * @packageDocumentation
 */
import { createServiceRef } from './services/createServiceRef';
import type { MetricsService } from './services/definitions/MetricsService';
import type { TracingService } from './services/definitions/TracingService';

export * from './services/definitions/ActionsRegistryService';
export * from './services/definitions/ActionsService';

/**
 * The plugin's metric instruments, named after the plugin.
 *
 * @alpha
 */
export const metricsServiceRef = createServiceRef<MetricsService>({
  id: 'alpha.core.metrics',
});

/**
 * The plugin's trace spans, named after the plugin.
 *
 * @alpha
 */
export const tracingServiceRef = createServiceRef<TracingService>({
  id: 'alpha.core.tracing',
});

export type * from './services/definitions/MetricsService';
export type * from './services/definitions/TracingService';
export * from './services/definitions/InstanceMetadataService';
export * from './services/definitions/ConnectionsService';
export { declareConnection } from './wiring/declareConnection';
export * from './services/definitions/PermissionsAuthorizerService';
export {
  DefaultRootPermissionsAuthorizerService,
  type DefaultRootPermissionsAuthorizerServiceOptions,
} from './services/DefaultRootPermissionsAuthorizerService';
