import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type JsonObject,
  type LoggerService,
  type LogMeta,
  type RootInstanceMetadataService,
  type RootInstanceMetadataServicePluginInfo,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { describeCallSiteOutside } from '@plinth/backend-plugin-api/internal';
import { quoteList, toError } from '@plinth/errors';
import {
  BackendShutdownError,
  BackendStartupError,
  BackendStateError,
  LifecycleError,
} from '../errors';
import { BootFailureRecorder, initPlugins } from './initPlugins';
import {
  installSignalHandlers,
  runStartupHooks,
  runWithProgress,
  shutdownBackend,
} from './runLifecycle';
import { rootStartupTimesServiceRef } from './rootStartupTimes';
import { ServiceRegistry } from './ServiceRegistry';
import { validateFeatures } from './validateFeatures';
import type { AddedFeature } from './collectFeatures';

type State = 'idle' | 'starting' | 'started' | 'failed' | 'stopped';

/**
 * Options for {@link BackendInitializer}.
 */
export interface BackendInitializerOptions {
  defaultServiceFactories: readonly ServiceFactory[];
  handleSignals: boolean;
  startupProgressIntervalMs: number;
  shutdownTimeoutMs: number;
  instanceId: string;
}

/**
 * Whether a stack frame is in the packages that wrap `backend.add()`, in
 * the repository (`src`) or built and installed (`dist`), and not in their
 * tests: the place that added a feature is the first frame outside them.
 */
function isEngineFrame(frame: string): boolean {
  return (
    /[\\/](backend-app-api|backend-defaults|backend-test-utils)[\\/](src|dist)[\\/]/.test(
      frame,
    ) && !/\.test\.[jt]s:/.test(frame)
  );
}

/**
 * The state machine of one backend: `add` while idle, `start` once, `stop`
 * any number of times. The steps themselves live in `validateFeatures`
 * (with `collectFeatures` and `validateServiceGraph`), `initPlugins`, and
 * `runLifecycle` (`runStartupHooks`, `shutdownBackend`).
 */
export class BackendInitializer {
  readonly #options: BackendInitializerOptions;
  readonly #added: AddedFeature[] = [];
  readonly #installed: RootInstanceMetadataServicePluginInfo[] = [];
  readonly #initDurations = new Map<string, number>();
  readonly #registry: ServiceRegistry;
  #state: State = 'idle';
  #stopRequested = false;
  #startPromise?: Promise<void>;
  #shutdownPromise?: Promise<readonly Error[]>;
  #pluginIds: readonly string[] = [];
  #logger: LoggerService = createConsoleLogger();
  #forgetSignals?: () => void;

  constructor(options: BackendInitializerOptions) {
    this.#options = options;
    const installed = this.#installed;
    const initDurations = this.#initDurations;
    this.#registry = ServiceRegistry.create({
      defaultFactories: options.defaultServiceFactories,
      builtinFactories: [
        createServiceFactory({
          service: coreServices.rootInstanceMetadata,
          deps: {},
          factory: (): RootInstanceMetadataService => ({
            getId: () => options.instanceId,
            getInstalledPlugins: () => Promise.resolve(installed),
          }),
        }),
        createServiceFactory({
          service: rootStartupTimesServiceRef,
          deps: {},
          factory: () => ({ getPluginInitDurations: () => initDurations }),
        }),
      ],
    });
    if (options.handleSignals) {
      // From creation on, not from start: the features given to add() are
      // often dynamic imports that take a second to load, and a signal in
      // that time should stop the backend like any other.
      this.#forgetSignals = installSignalHandlers({
        stop: () => this.stop(),
        currentLogger: () => this.#logger,
      });
    }
  }

  add(feature: BackendFeature | Promise<{ default: BackendFeature }>): void {
    if (this.#state !== 'idle') {
      throw BackendStateError.addTooLate(
        this.#startPromise ? 'backend.start()' : 'backend.stop()',
      );
    }
    if (feature instanceof Promise) {
      // Handled later, at start; until then a rejection must not count as
      // unhandled, which would end the process.
      feature.catch(() => {});
      this.#added.push({
        value: feature,
        addedAt: describeCallSiteOutside(isEngineFrame),
      });
      return;
    }
    this.#added.push({ value: feature });
  }

  start(): Promise<void> {
    if (this.#startPromise) {
      return Promise.reject(
        BackendStateError.startAgain(
          this.#state === 'failed' ? 'failed' : 'started',
        ),
      );
    }
    if (this.#state === 'stopped') {
      return Promise.reject(BackendStateError.startAgain('stopped'));
    }
    this.#state = 'starting';
    this.#startPromise = this.#start().catch(error => {
      this.#state = 'failed';
      throw error;
    });
    return this.#startPromise;
  }

  /**
   * Stops the backend. A start still in progress is asked to stop after its
   * current step and waited for up to the shutdown deadline; then the
   * shutdown hooks run, again up to the deadline.
   */
  async stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      this.#forgetSignals?.();
      return;
    }
    this.#stopRequested = true;
    const stoppingAt = Date.now();
    const failures: Error[] = [];
    if (this.#state === 'starting') {
      const settled = await this.#waitForStart();
      if (!settled) {
        failures.push(
          new LifecycleError(
            'SHUTDOWN_START_STILL_RUNNING',
            `The backend was still starting ${this.#options.shutdownTimeoutMs / 1000}s after stop() was called; shutting down what has started. Find the init or hook that hangs in the progress warnings, or raise shutdownTimeoutMs.`,
          ),
        );
      }
    }
    // Repeated calls, and a start that failed, have shut down already.
    const alreadyStopped = this.#shutdownPromise !== undefined;
    failures.push(...(await this.#shutdown()));
    if (failures.length > 0) {
      throw new BackendShutdownError(failures);
    }
    if (!alreadyStopped) {
      // The last line of a clean stop, so a terminal shows it finished.
      this.#logger.info(`Backend stopped in ${Date.now() - stoppingAt}ms.`);
    }
  }

  async #start(): Promise<void> {
    const startedAt = Date.now();
    const backend = await validateFeatures(this.#registry, this.#added);
    this.#installed.push(...backend.installed);
    this.#pluginIds = backend.units.map(u => u.pluginId);
    await this.#useRootLogger();
    const progress = {
      logger: this.#logger,
      progressIntervalMs: this.#options.startupProgressIntervalMs,
    };

    await this.#step(() => this.#createEagerRootServices());
    const failures = new BootFailureRecorder(
      backend.policy,
      this.#logger,
      backend.units,
    );
    const started = await this.#step(() =>
      initPlugins({
        backend,
        registry: this.#registry,
        failures,
        initDurations: this.#initDurations,
        ...progress,
      }),
    );
    if (failures.failures.length > 0) {
      await this.#failStart(failures.failures);
    }
    const hookFailures = await this.#step(() =>
      runStartupHooks({
        registry: this.#registry,
        pluginIds: started,
        policy: backend.policy,
        ...progress,
      }),
    );
    // Plugins may report module failures until here, for example from a
    // startup hook that acts on what a module registered.
    const lateFailures = [...failures.failures, ...hookFailures];
    failures.close();
    if (lateFailures.length > 0) {
      await this.#failStart(lateFailures);
    }
    this.#state = 'started';
    this.#logger.info(`Backend started in ${Date.now() - startedAt}ms.`);
  }

  /** Runs one step of the start, unless a stop was requested meanwhile. */
  async #step<T>(run: () => Promise<T>): Promise<T> {
    if (this.#stopRequested) {
      throw BackendStateError.stoppedWhileStarting();
    }
    return run();
  }

  async #createEagerRootServices() {
    try {
      await runWithProgress({
        items: this.#registry.eagerRootServices(),
        run: ref => this.#registry.get(ref),
        describe: (seconds, pending) =>
          `Still creating root services after ${seconds}s: ${quoteList(pending.map(r => r.id))}. A service that stays in this list is waiting on something in its factory.`,
        logger: this.#logger,
        intervalMs: this.#options.startupProgressIntervalMs,
      });
    } catch (error) {
      await this.#failStart([toError(error)]);
    }
  }

  async #useRootLogger() {
    if (!this.#registry.has(coreServices.rootLogger.id)) {
      return;
    }
    try {
      this.#logger = (await this.#registry.get(
        coreServices.rootLogger,
      )) as LoggerService;
    } catch (error) {
      await this.#failStart([toError(error)]);
    }
  }

  async #failStart(failures: readonly Error[]): Promise<never> {
    const error = new BackendStartupError(failures);
    this.#logger.error(error.message);
    await this.#shutdown();
    throw error;
  }

  /** Waits for the start to settle, up to the deadline; false if it did not. */
  async #waitForStart(): Promise<boolean> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<false>(resolve => {
      timer = setTimeout(() => resolve(false), this.#options.shutdownTimeoutMs);
      timer.unref?.();
    });
    const settled = this.#startPromise!.then(
      () => true,
      () => true,
    );
    try {
      return await Promise.race([settled, deadline]);
    } finally {
      clearTimeout(timer);
    }
  }

  #shutdown(): Promise<readonly Error[]> {
    this.#shutdownPromise ??= shutdownBackend(
      this.#registry,
      this.#pluginIds,
      this.#options.shutdownTimeoutMs,
    ).finally(() => {
      if (this.#state !== 'failed') {
        this.#state = 'stopped';
      }
      this.#forgetSignals?.();
    });
    return this.#shutdownPromise;
  }
}

/**
 * The logger the engine falls back to when the backend has no root logger
 * service: warnings and errors to stderr, info to stdout, debug dropped.
 */
function createConsoleLogger(fields: JsonObject = {}): LoggerService {
  const prefix = Object.entries(fields)
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'string' ? value : JSON.stringify(value)} `,
    )
    .join('');
  const write =
    (stream: NodeJS.WriteStream, level: string) =>
    (message: string, meta?: LogMeta) => {
      const detail =
        meta instanceof Error
          ? ` ${meta.name}: ${meta.message}`
          : meta && Object.keys(meta).length > 0
            ? ` ${JSON.stringify(meta)}`
            : '';
      stream.write(`${level} ${prefix}${message}${detail}\n`);
    };
  return {
    error: write(process.stderr, 'error'),
    warn: write(process.stderr, 'warn'),
    info: write(process.stdout, 'info'),
    debug: () => {},
    child: extra => createConsoleLogger({ ...fields, ...extra }),
  };
}
