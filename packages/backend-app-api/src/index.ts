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
export type { BootFailureAction } from './wiring/BootFailurePolicy';
export {
  LifecycleHooks,
  type LifecycleHookRunner,
  type LifecyclePhase,
} from './lifecycle/LifecycleHooks';
export * from './wiring/errors';
