import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';
import { DefaultRootHealthService } from './DefaultRootHealthService';

/**
 * The default {@link @plinth/backend-plugin-api#RootHealthService}, driven
 * by root lifecycle hooks; the root HTTP router serves it at
 * `/.backstage/health/v1/liveness` and `/readiness`.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootLifecycleServiceFactory, rootHealthServiceFactory],
 * });
 * ```
 * @public
 */
export const rootHealthServiceFactory = createServiceFactory({
  service: coreServices.rootHealth,
  deps: { lifecycle: coreServices.rootLifecycle },
  factory: ({ lifecycle }) => DefaultRootHealthService.create({ lifecycle }),
});
