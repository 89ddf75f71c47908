import {
  coreServices,
  createServiceFactory,
  type HealthStatus,
  type RootHealthService,
  type RootLifecycleService,
} from '@plinth/backend-plugin-api';

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

type State = 'starting' | 'up' | 'stopping';

/**
 * The default {@link @plinth/backend-plugin-api#RootHealthService}: alive
 * whenever it can answer; ready once the root startup hooks ran (so after
 * every plugin started) and no longer from the moment the root
 * before-shutdown hooks run.
 *
 * @public
 */
export class DefaultRootHealthService implements RootHealthService {
  #state: State = 'starting';

  /**
   * Creates the service and registers the root hooks that drive it.
   *
   * @example
   * ```ts
   * const health = DefaultRootHealthService.create({ lifecycle: rootLifecycle });
   * await health.getReadiness(); // { ok: false, reason: "backend is 'starting'" }
   * ```
   */
  static create(options: {
    lifecycle: RootLifecycleService;
  }): DefaultRootHealthService {
    return new DefaultRootHealthService(options.lifecycle);
  }

  private constructor(lifecycle: RootLifecycleService) {
    lifecycle.addStartupHook(
      () => {
        if (this.#state === 'starting') {
          this.#state = 'up';
        }
      },
      { name: 'mark backend ready' },
    );
    lifecycle.addBeforeShutdownHook(
      () => {
        this.#state = 'stopping';
      },
      { name: 'mark backend not ready' },
    );
  }

  async getLiveness(): Promise<HealthStatus> {
    return { ok: true };
  }

  async getReadiness(): Promise<HealthStatus> {
    return this.#state === 'up'
      ? { ok: true }
      : { ok: false, reason: `backend is '${this.#state}'` };
  }
}
