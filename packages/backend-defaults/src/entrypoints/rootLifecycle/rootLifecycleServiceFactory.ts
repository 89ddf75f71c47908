import { LifecycleHooks } from '@plinth/backend-app-api';
import { coreServices, createServiceFactory } from '@plinth/backend-plugin-api';

/**
 * The default root lifecycle: startup, before-shutdown and shutdown hooks
 * for the whole backend, owned by `the root`. The backend runs them; a
 * failed hook is logged to the root logger, naming the hook.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [rootLoggerServiceFactory, rootLifecycleServiceFactory],
 * });
 * ```
 * @public
 */
export const rootLifecycleServiceFactory = createServiceFactory({
  service: coreServices.rootLifecycle,
  deps: { logger: coreServices.rootLogger },
  factory: ({ logger }) => LifecycleHooks.create({ owner: 'the root', logger }),
});
