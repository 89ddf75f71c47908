import { randomUUID } from 'node:crypto';
import {
  type BackendFeature,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { describeValue, InputError } from '@plinth/errors';
import { BackendInitializer } from './BackendInitializer';

/**
 * A backend: add features, then start it; stop it to run shutdown hooks.
 *
 * @public
 */
export interface Backend {
  /**
   * Adds a feature, or a dynamic import of a module whose default export
   * is one. A service factory replaces the default factory for its service.
   * @throws {@link @plinth/backend-app-api#BackendStateError} after `start()`.
   */
  add(feature: BackendFeature | Promise<{ default: BackendFeature }>): void;
  /**
   * Validates every feature, then initialises plugins and runs startup hooks.
   * @throws {@link @plinth/backend-app-api#BackendValidationError} when features do not fit together,
   *   before any plugin init runs; {@link @plinth/backend-app-api#BackendStartupError} when plugins
   *   or modules fail to start; {@link @plinth/backend-app-api#BackendStateError} when called twice,
   *   or when `stop()` ended the start early (the promise of that `stop()` tells how the stop went).
   */
  start(): Promise<void>;
  /**
   * Runs the before-shutdown hooks, every plugin's shutdown hooks, then the
   * root shutdown hooks. Safe to call more than once.
   * @throws {@link @plinth/backend-app-api#BackendShutdownError} when hooks failed; all others still ran.
   */
  stop(): Promise<void>;
}

/**
 * Options for {@link createSpecializedBackend}.
 *
 * @public
 */
export interface CreateSpecializedBackendOptions {
  /** Factories used for services that no added feature provides. */
  defaultServiceFactories: ServiceFactory[];
  /**
   * From creation on, stop the backend on SIGTERM and SIGINT, then exit the
   * process: with 0 after a clean stop, with 1 when a hook failed or a
   * second signal came before the stop finished.
   * @defaultValue `true`
   */
  handleSignals?: boolean;
  /**
   * How often to log the plugins that are still initialising.
   * @defaultValue `5000`
   */
  startupProgressIntervalMs?: number;
  /**
   * How long `stop()` waits for a start still in progress, and then for
   * the shutdown hooks, before it gives up on each and reports what was
   * still running.
   * @defaultValue `30000`
   */
  shutdownTimeoutMs?: number;
  /**
   * The unique id of this backend instance, which
   * `coreServices.rootInstanceMetadata.getId()` returns. Never give two
   * instances the same id, not even one after the other.
   * @defaultValue a random UUID, new for each backend
   */
  instanceId?: string;
}

/**
 * Creates a backend from a set of default service factories; the engine
 * under `createBackend()` and `startTestBackend()`.
 *
 * @example
 * ```ts
 * const backend = createSpecializedBackend({
 *   defaultServiceFactories: [
 *     createServiceFactory({
 *       service: coreServices.rootLifecycle,
 *       deps: {},
 *       factory: () => LifecycleHooks.create({ owner: 'the root' }),
 *     }),
 *   ],
 * });
 * backend.add(import('./plugins/todo'));
 * await backend.start();
 * ```
 * @throws {@link @plinth/errors#InputError} when an option is invalid;
 *   {@link @plinth/backend-app-api#WiringError} (`SERVICE_DEFAULT_DUPLICATE`)
 *   when two default factories provide one singleton service.
 * @public
 */
export function createSpecializedBackend(
  options: CreateSpecializedBackendOptions,
): Backend {
  const factories: unknown = options?.defaultServiceFactories;
  if (!Array.isArray(factories)) {
    throw new InputError(
      'createSpecializedBackend() needs defaultServiceFactories: an array of service factories, or [] for none.',
    );
  }
  const invalid = factories.findIndex(
    f => (f as { featureType?: unknown } | null)?.featureType !== 'service',
  );
  if (invalid >= 0) {
    throw new InputError(
      `createSpecializedBackend() got defaultServiceFactories[${invalid}] that is not a service factory; pass results of createServiceFactory().`,
    );
  }
  const { handleSignals = true } = options;
  if (typeof handleSignals !== 'boolean') {
    throw new InputError(
      `createSpecializedBackend() got handleSignals ${describeValue(handleSignals)}; use true or false.`,
    );
  }
  const { instanceId = randomUUID() } = options;
  if (typeof instanceId !== 'string' || instanceId.trim() === '') {
    throw new InputError(
      `createSpecializedBackend() got instanceId ${describeValue(instanceId)}; use a non-empty string that no other backend instance uses, or leave it out for a random UUID.`,
    );
  }
  const initializer = new BackendInitializer({
    defaultServiceFactories: factories as ServiceFactory[],
    handleSignals,
    instanceId,
    startupProgressIntervalMs: readDuration(
      'startupProgressIntervalMs',
      options.startupProgressIntervalMs,
      5000,
    ),
    shutdownTimeoutMs: readDuration(
      'shutdownTimeoutMs',
      options.shutdownTimeoutMs,
      30_000,
    ),
  });
  return {
    add: feature => initializer.add(feature),
    start: () => initializer.start(),
    stop: () => initializer.stop(),
  };
}

function readDuration(name: string, value: unknown, fallback: number): number {
  if (value === undefined) {
    return fallback;
  }
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new InputError(
      `createSpecializedBackend() got ${name} ${describeValue(value)}; use a positive number of milliseconds.`,
    );
  }
  return value;
}
