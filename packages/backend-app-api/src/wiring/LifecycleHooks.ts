import type {
  LifecycleServiceHook,
  LifecycleServiceHookOptions,
  LoggerService,
  RootLifecycleService,
} from '@plinth/backend-plugin-api';
import { describeCallSite } from '@plinth/backend-plugin-api/internal';
import { describeValue, InputError, toError } from '@plinth/errors';
import { BackendStateError, LifecycleError } from '../errors';

/**
 * The phases of a lifecycle, in the order the backend runs them.
 *
 * @public
 */
export type LifecyclePhase = 'startup' | 'before-shutdown' | 'shutdown';

/**
 * What the backend needs of a lifecycle service to run its hooks. Each
 * method runs the hooks of one phase concurrently, waits for all of them,
 * and resolves to the failures; it never rejects.
 *
 * @public
 */
export interface LifecycleHookRunner {
  startup(): Promise<readonly Error[]>;
  beforeShutdown?(): Promise<readonly Error[]>;
  shutdown(): Promise<readonly Error[]>;
  /**
   * The hooks that have started and not finished, such as
   * `the shutdown hook 'flush queue' of plugin 'todo'`, so the backend can
   * name what it is waiting for.
   */
  pendingHooks?(): string[];
}

interface Hook {
  fn: LifecycleServiceHook;
  label: string;
  logger?: LoggerService;
}

/**
 * Keeps the startup, before-shutdown and shutdown hooks of one owner (the
 * root, or one plugin) and runs them when the backend asks. Both the
 * default lifecycle services and the test mocks are built on it, so they
 * behave the same.
 *
 * @public
 */
export class LifecycleHooks
  implements RootLifecycleService, LifecycleHookRunner
{
  readonly #owner: string;
  readonly #logger?: LoggerService;
  readonly #hooks = new Map<LifecyclePhase, Hook[]>([
    ['startup', []],
    ['before-shutdown', []],
    ['shutdown', []],
  ]);
  readonly #started = new Set<LifecyclePhase>();
  readonly #running = new Set<string>();

  /**
   * Creates the hooks of one owner. `owner` names it in logs and errors,
   * such as `plugin 'catalog'`; `logger` receives hook failures, unless a
   * hook names a logger of its own.
   *
   * @example
   * ```ts
   * const lifecycle = LifecycleHooks.create({ owner: "plugin 'todo'", logger });
   * lifecycle.addShutdownHook(() => pool.end(), { name: 'close pool' });
   * const failures = await lifecycle.shutdown();
   * ```
   */
  static create(options: { owner: string; logger?: LoggerService }) {
    return new LifecycleHooks(options.owner, options.logger);
  }

  private constructor(owner: string, logger?: LoggerService) {
    this.#owner = owner;
    this.#logger = logger;
  }

  /**
   * Adds a startup hook.
   * @throws {@link @plinth/errors#InputError} when `hook` is not a function;
   *   {@link @plinth/backend-app-api#BackendStateError} when the phase already ran.
   */
  addStartupHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void {
    this.#add('startup', hook, options);
  }

  /**
   * Adds a before-shutdown hook.
   * @throws {@link @plinth/errors#InputError} when `hook` is not a function;
   *   {@link @plinth/backend-app-api#BackendStateError} when the phase already ran.
   */
  addBeforeShutdownHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void {
    this.#add('before-shutdown', hook, options);
  }

  /**
   * Adds a shutdown hook.
   * @throws {@link @plinth/errors#InputError} when `hook` is not a function;
   *   {@link @plinth/backend-app-api#BackendStateError} when the phase already ran.
   */
  addShutdownHook(
    hook: LifecycleServiceHook,
    options?: LifecycleServiceHookOptions,
  ): void {
    this.#add('shutdown', hook, options);
  }

  pendingHooks(): string[] {
    return [...this.#running];
  }

  startup(): Promise<readonly Error[]> {
    return this.#run('startup');
  }

  beforeShutdown(): Promise<readonly Error[]> {
    return this.#run('before-shutdown');
  }

  shutdown(): Promise<readonly Error[]> {
    return this.#run('shutdown');
  }

  #add(
    phase: LifecyclePhase,
    fn: LifecycleServiceHook,
    options: LifecycleServiceHookOptions | undefined,
  ) {
    if (typeof fn !== 'function') {
      throw new InputError(
        `The ${phase} hook added by ${this.#owner} is ${describeValue(fn)}, not a function; pass the function to run.`,
      );
    }
    if (this.#started.has(phase)) {
      throw BackendStateError.hookTooLate(phase, this.#owner);
    }
    const hooks = this.#hooks.get(phase)!;
    const label = options?.name
      ? `'${options.name}'`
      : `#${hooks.length + 1} (added at ${describeCallSite(2) ?? 'an unknown place'})`;
    hooks.push({ fn, label, logger: options?.logger });
  }

  async #run(phase: LifecyclePhase): Promise<readonly Error[]> {
    if (this.#started.has(phase)) {
      return [];
    }
    this.#started.add(phase);
    const results = await Promise.all(
      this.#hooks.get(phase)!.map(async hook => {
        const description = `the ${phase} hook ${hook.label} of ${this.#owner}`;
        this.#running.add(description);
        try {
          await hook.fn();
          return undefined;
        } catch (cause) {
          const error = new LifecycleError(
            'LIFECYCLE_HOOK_FAILED',
            `The ${phase} hook ${hook.label} of ${this.#owner} failed.`,
            { cause },
          );
          (hook.logger ?? this.#logger)?.error(error.message, toError(cause));
          return error;
        } finally {
          this.#running.delete(description);
        }
      }),
    );
    return results.filter((e): e is LifecycleError => e !== undefined);
  }
}
