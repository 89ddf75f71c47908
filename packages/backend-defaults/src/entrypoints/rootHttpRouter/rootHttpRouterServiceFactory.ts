import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { rootMetricsServiceRef } from '../metrics/rootMetricsServiceFactory';
import {
  DefaultRootHttpRouterService,
  type RootHttpRouterListeningAddress,
} from './DefaultRootHttpRouterService';

/**
 * Options for {@link createRootHttpRouterServiceFactory}.
 *
 * @public
 */
export interface RootHttpRouterServiceFactoryOptions {
  /**
   * Called once the server listens, such as for a test backend to learn
   * the port when `backend.listen.port` is 0.
   * @defaultValue none
   */
  onListening?: (address: RootHttpRouterListeningAddress) => void;
  /**
   * Where to listen instead of `backend.listen`.
   * @defaultValue `backend.listen`
   */
  listen?: { host?: string; port: number };
}

/**
 * Creates a factory for the default `core.rootHttpRouter`, with options;
 * {@link rootHttpRouterServiceFactory} is the one without.
 *
 * @example
 * ```ts
 * let port = 0;
 * await startTestBackend({
 *   features: [
 *     createRootHttpRouterServiceFactory({ onListening: a => (port = a.port) }),
 *     mockServices.rootConfig.factory({ data: { backend: { listen: { port: 0 } } } }),
 *   ],
 * });
 * ```
 * @public
 */
export function createRootHttpRouterServiceFactory(
  options: RootHttpRouterServiceFactoryOptions = {},
) {
  return createServiceFactory({
    service: coreServices.rootHttpRouter,
    deps: {
      config: coreServices.rootConfig,
      logger: coreServices.rootLogger,
      lifecycle: coreServices.rootLifecycle,
      health: coreServices.rootHealth,
      instanceMetadata: coreServices.rootInstanceMetadata,
      metrics: rootMetricsServiceRef,
    },
    factory: deps =>
      DefaultRootHttpRouterService.create({
        ...deps,
        onListening: options.onListening,
        listen: options.listen,
      }),
  });
}

/**
 * The default `core.rootHttpRouter`: a {@link DefaultRootHttpRouterService}
 * listening on `backend.listen` (port 7007 unless set).
 *
 * @example
 * ```ts
 * backend.add(rootHttpRouterServiceFactory);
 * ```
 * @public
 */
export const rootHttpRouterServiceFactory =
  createRootHttpRouterServiceFactory();
