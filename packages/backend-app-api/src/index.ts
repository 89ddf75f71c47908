/**
 * The Plinth wiring engine: registers features, validates the whole graph,
 * creates services in their scopes, initialises plugins in order and runs
 * their lifecycles. Free of HTTP, database and logging libraries.
 *
 * @packageDocumentation
 */
export {
  createSpecializedBackend,
  type Backend,
  type CreateSpecializedBackendOptions,
} from './wiring/createSpecializedBackend';
export type { BootFailureAction } from './wiring/initPlugins';
export {
  rootStartupTimesServiceRef,
  type RootStartupTimesService,
} from './wiring/rootStartupTimes';
export {
  knownServiceProviders,
  type KnownServiceProvider,
} from './wiring/validateServiceGraph';
export {
  LifecycleHooks,
  type LifecycleHookRunner,
  type LifecyclePhase,
} from './wiring/LifecycleHooks';
export {
  BackendShutdownError,
  BackendStartupError,
  BackendStateError,
  BackendValidationError,
  LifecycleError,
  ServiceFactoryError,
  WiringError,
  type BackendStateErrorCode,
  type LifecycleErrorCode,
  type WiringErrorCode,
} from './errors';
