import {
  coreServices,
  createServiceFactory,
  type BackendFeature,
  type LoggerService,
  type RootInstanceMetadataServicePluginInfo,
  type ServiceFactory,
} from '@plinth/backend-plugin-api';
import { toError } from '@plinth/errors';
import { ServiceRegistry } from '../services/ServiceRegistry';
import { createConsoleLogger } from './createConsoleLogger';
import { BackendShutdownError } from './errors/BackendShutdownError';
import { BackendStartupError } from './errors/BackendStartupError';
import { BackendStateError } from './errors/BackendStateError';
import { initPlugins } from './initPlugins';
import { installSignalHandlers } from './installSignalHandlers';
import { runStartupHooks } from './runStartupHooks';
import { shutdownBackend } from './shutdownBackend';
import { validateFeatures } from './validateFeatures';

type State = 'idle' | 'starting' | 'started' | 'stopped';

/**
 * Options for {@link BackendInitializer}.
 */
export interface BackendInitializerOptions {
  defaultServiceFactories: readonly ServiceFactory[];
  handleSignals: boolean;
  startupProgressIntervalMs: number;
}

/**
 * The state machine of one backend: `add` while idle, `start` once, `stop`
 * any number of times. The steps themselves live in `validateFeatures`,
 * `initPlugins`, `runStartupHooks` and `shutdownBackend`.
 */
export class BackendInitializer {
  readonly #options: BackendInitializerOptions;
  readonly #added: unknown[] = [];
  readonly #installed: RootInstanceMetadataServicePluginInfo[] = [];
  readonly #registry: ServiceRegistry;
  #state: State = 'idle';
  #startPromise?: Promise<void>;
  #shutdownPromise?: Promise<readonly Error[]>;
  #pluginIds: readonly string[] = [];
  #logger: LoggerService = createConsoleLogger();
  #forgetSignals?: () => void;

  constructor(options: BackendInitializerOptions) {
    this.#options = options;
    const installed = this.#installed;
    this.#registry = ServiceRegistry.create({
      defaultFactories: options.defaultServiceFactories,
      builtinFactories: [
        createServiceFactory({
          service: coreServices.rootInstanceMetadata,
          deps: {},
          factory: () => ({
            getInstalledPlugins: () => Promise.resolve(installed),
          }),
        }),
      ],
    });
  }

  add(feature: BackendFeature | Promise<{ default: BackendFeature }>): void {
    if (this.#state !== 'idle') {
      throw new BackendStateError(
        'backend.add() was called after backend.start(); add every feature before starting the backend.',
      );
    }
    this.#added.push(feature);
  }

  start(): Promise<void> {
    if (this.#state === 'stopped' && !this.#startPromise) {
      return Promise.reject(
        new BackendStateError(
          'backend.start() was called after backend.stop(); create a new backend to start again.',
        ),
      );
    }
    if (this.#startPromise) {
      return Promise.reject(
        new BackendStateError(
          'backend.start() was called twice; start a backend once, or create another one.',
        ),
      );
    }
    this.#state = 'starting';
    this.#startPromise = this.#start();
    return this.#startPromise;
  }

  async stop(): Promise<void> {
    if (this.#state === 'idle') {
      this.#state = 'stopped';
      return;
    }
    await this.#startPromise?.catch(() => {});
    const failures = await this.#shutdown();
    if (failures.length > 0) {
      throw new BackendShutdownError(failures);
    }
  }

  async #start(): Promise<void> {
    const startedAt = Date.now();
    let backend;
    try {
      backend = await validateFeatures(this.#registry, this.#added);
    } catch (error) {
      this.#state = 'stopped';
      throw error;
    }
    this.#installed.push(...backend.installed);
    this.#pluginIds = backend.units.map(u => u.pluginId);
    await this.#useRootLogger();
    if (this.#options.handleSignals) {
      this.#forgetSignals = installSignalHandlers({
        stop: () => this.stop(),
        logger: this.#logger,
      });
    }

    try {
      await this.#registry.createEagerRootServices();
    } catch (error) {
      await this.#failStart([toError(error)]);
    }
    const { started, failures } = await initPlugins({
      backend,
      registry: this.#registry,
      logger: this.#logger,
      progressIntervalMs: this.#options.startupProgressIntervalMs,
    });
    if (failures.length > 0) {
      await this.#failStart(failures);
    }
    const hookFailures = await runStartupHooks({
      registry: this.#registry,
      pluginIds: started,
      policy: backend.policy,
      logger: this.#logger,
    });
    if (hookFailures.length > 0) {
      await this.#failStart(hookFailures);
    }
    this.#state = 'started';
    this.#logger.info(`Backend started in ${Date.now() - startedAt}ms.`);
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

  async #failStart(failures: Error[]): Promise<never> {
    const error = new BackendStartupError(failures);
    this.#logger.error(error.message);
    await this.#shutdown();
    throw error;
  }

  #shutdown(): Promise<readonly Error[]> {
    this.#shutdownPromise ??= shutdownBackend(
      this.#registry,
      this.#pluginIds,
    ).finally(() => {
      this.#state = 'stopped';
      this.#forgetSignals?.();
    });
    return this.#shutdownPromise;
  }
}
